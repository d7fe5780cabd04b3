/**
 * What an {@code Aar} wires behind its small public surface ({@link dev.aar.core.wiring.internal.Collaborators}:
 * the stores, the queue, the indexer, worker pools), for the project's own server, CLI, Spring starter,
 * benchmarks and tests. Not an API: it may change at any time; hosts use {@code Aar} (docs/architecture.md,
 * "Public API").
 */
package dev.aar.core.wiring.internal;
