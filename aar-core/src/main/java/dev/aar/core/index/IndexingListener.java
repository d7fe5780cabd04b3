package dev.aar.core.index;

import java.util.function.BooleanSupplier;

/**
 * Hears what an {@link Indexer} does. Methods are called from indexing threads, one call at a time
 * and in order; keep them short. An exception thrown by a method stops the indexing run.
 */
public interface IndexingListener {

    /** A listener that ignores everything. */
    IndexingListener NONE = new IndexingListener() {
    };

    /**
     * Called once when a run starts, with a signal that is up while a request slot would have nothing
     * to send: more of its senders wait for a batch the chunking has not cut yet than the two that build
     * requests ahead of a free slot (the run is short of CPU, or of files). It is down once the run stops
     * cutting batches. Other work of the job can poll it and give way (Analyzing does).
     */
    default void onStarted(BooleanSupplier waitingForBatches) {
    }

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
