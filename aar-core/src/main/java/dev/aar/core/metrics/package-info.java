/**
 * Micrometer meters with the spec's names ({@link dev.aar.core.metrics.AarMetrics}): job counters
 * and durations, queue gauges, checkpoints, tokens and embeddings.
 */
@NullMarked
package dev.aar.core.metrics;

import org.jspecify.annotations.NullMarked;
