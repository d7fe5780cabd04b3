package dev.aar.core.index;

/**
 * Running totals of one {@link Indexer#index} call, for progress reports.
 *
 * @param filesCompleted files of this run whose chunks are all stored (not counting files skipped by the cursor)
 * @param chunksStored chunks written to the store so far
 * @param chunksEmbedded chunks whose vectors were requested from the provider
 * @param chunksReused chunks whose vectors came from the store (same text, same model) or from a
 *     duplicate in the same request; they cost no tokens
 * @param tokensUsed tokens consumed: the provider's count when it reports one, else the chunker's
 * @param requests embedding requests that succeeded
 */
public record IndexingProgress(int filesCompleted, long chunksStored, long chunksEmbedded, long chunksReused,
        long tokensUsed, long requests) {
}
