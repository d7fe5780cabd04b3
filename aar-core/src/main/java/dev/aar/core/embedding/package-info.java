/**
 * Embedding providers of the SDK's own: the zero-setup
 * {@link dev.aar.core.embedding.OfflineEmbeddingProvider} and the
 * {@link dev.aar.core.embedding.ResilientEmbeddingProvider} decorator that puts any provider behind
 * a resilience pipeline.
 */
@NullMarked
package dev.aar.core.embedding;

import org.jspecify.annotations.NullMarked;
