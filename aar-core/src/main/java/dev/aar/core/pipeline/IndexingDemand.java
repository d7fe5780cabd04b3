package dev.aar.core.pipeline;

import java.util.function.BooleanSupplier;

/**
 * Whether Indexing, running beside Analyzing in the same attempt, is short of batches to send: the
 * phases share one object (see {@link dev.aar.core.worker.PhaseContext#shared}), Indexing hands it
 * its run's signal and Analyzing's scans give way while it is up. On a machine with few cores the
 * chunking that feeds the embedding requests and the analysis compete for CPU; a request slot left
 * idle is time the job never gets back, an analysis paused for a few milliseconds is not (it ends
 * before Indexing does), so Indexing goes first.
 */
final class IndexingDemand {

    private static final BooleanSupplier NONE = () -> false;

    private volatile BooleanSupplier waitingForBatches = NONE;

    /** Follows {@code signal} (from {@link dev.aar.core.index.IndexingListener#onStarted}) until {@link #ended}. */
    void follow(BooleanSupplier signal) {
        this.waitingForBatches = signal;
    }

    /** Indexing ended (or failed): nothing to give way to. */
    void ended() {
        this.waitingForBatches = NONE;
    }

    /** Whether a sender of Indexing waits for a batch now. */
    boolean waiting() {
        return waitingForBatches.getAsBoolean();
    }
}
