/**
 * Implementation detail of {@code dev.aar.azure}: block ids, part spooling, OpenAI clients, error mapping,
 * reading embedding answers, and the LLM reviewer's prompt, questions and answer parsing. Not an API; it may change at any time.
 */
package dev.aar.azure.internal;
