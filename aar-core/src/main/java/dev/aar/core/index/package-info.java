/**
 * Indexing: the token-accurate, code-aware {@link dev.aar.core.index.Chunker} and the
 * {@link dev.aar.core.index.Indexer} that embeds chunks in bounded, concurrent batches into an
 * {@link dev.aar.embedding.EmbeddingStore}, skipping text it has embedded before and resuming from
 * an {@link dev.aar.core.index.IndexCursor}. See docs/indexing.md.
 */
@NullMarked
package dev.aar.core.index;

import org.jspecify.annotations.NullMarked;
