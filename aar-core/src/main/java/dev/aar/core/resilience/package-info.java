/**
 * The spec's named resilience pipelines ({@code EmbeddingPipeline}, {@code OpenAiPipeline},
 * {@code BlobStoragePipeline}) on resilience4j, a registry handing them out by name, and
 * {@link dev.aar.core.resilience.ResilientBlobStore}. See docs/resilience.md.
 */
@NullMarked
package dev.aar.core.resilience;

import org.jspecify.annotations.NullMarked;
