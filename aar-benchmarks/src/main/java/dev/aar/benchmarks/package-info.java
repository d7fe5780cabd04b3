/** JMH and end-to-end benchmarks; see docs/BENCHMARKS.md. */
package dev.aar.benchmarks;
