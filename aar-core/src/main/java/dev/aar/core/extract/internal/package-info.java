/**
 * ZIP parsing and the entry walkers behind extraction and preflight. Internal: may change at any time.
 */
package dev.aar.core.extract.internal;
