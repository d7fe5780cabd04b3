/**
 * Implementation detail of {@code dev.aar.azure}: block ids, part spooling, error mapping and
 * vector decoding. Not an API; it may change at any time.
 */
package dev.aar.azure.internal;
