/**
 * Embedding SPI: what turns text into vectors ({@link dev.aar.embedding.EmbeddingProvider}) and
 * where the vectors of a project's chunks are kept and searched ({@link dev.aar.embedding.EmbeddingStore}).
 *
 * <p>Retries, circuit breaking and rate limiting are not a provider's job: the SDK wraps every
 * provider in its resilience pipeline. A provider reports what went wrong precisely, through
 * {@link dev.aar.embedding.EmbeddingProviderException}, so that the pipeline can decide.
 * This module depends on nothing but the JDK.
 */
@NullMarked
package dev.aar.embedding;

import org.jspecify.annotations.NullMarked;
