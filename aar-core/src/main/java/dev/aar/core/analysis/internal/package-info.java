/**
 * Implementation of the built-in analyzers (import parsing, graph algorithms, lexing heuristics).
 * Internal: may change at any time without notice.
 */
package dev.aar.core.analysis.internal;
