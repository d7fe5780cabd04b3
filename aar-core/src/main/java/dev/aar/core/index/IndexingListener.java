package dev.aar.core.index;

/**
 * Hears what an {@link Indexer} does. Methods are called from indexing threads, one call at a time
 * and in order; keep them short. An exception thrown by a method stops the indexing run.
 */
public interface IndexingListener {

    /** A listener that ignores everything. */
    IndexingListener NONE = new IndexingListener() {
    };

    /** Called after each file whose chunks are all stored. */
    default void onProgress(IndexingProgress progress) {
    }

    /** Called after each successful embedding request with the tokens it consumed (for quotas and cost). */
    default void onTokensUsed(long tokens) {
    }

    /**
     * Called every {@code checkpointIntervalFiles} completed files, and once at the end, with a cursor
     * the caller can save: resuming from it redoes nothing before it.
     */
    default void onCheckpoint(IndexCursor cursor) {
    }
}
