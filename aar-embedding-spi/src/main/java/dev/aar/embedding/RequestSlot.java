package dev.aar.embedding;

/**
 * A place among the embedding requests a caller lets be in flight at once (the indexer's
 * {@code MaxConcurrency}). A provider takes it just before it sends a request and gives it back as
 * soon as the answer has arrived, so that building the request and decoding the answer, which need
 * no place, overlap the requests of other callers.
 *
 * <p>A slot serves one {@link EmbeddingProvider#embed(java.util.List, RequestSlot)} call, on the
 * calling thread or a thread it hands the call to. Implementations are safe for use from one thread
 * at a time.
 */
public interface RequestSlot {

    /**
     * Waits for a place and takes it; does nothing if this slot already holds one.
     *
     * @throws java.util.concurrent.CancellationException if the thread is interrupted while it waits
     *     (its interrupt flag stays set)
     */
    void acquire();

    /** Gives the place back; does nothing if this slot holds none, so it may be called on every path. */
    void release();

    /** A slot that never waits: for a caller with no limit on requests in flight. */
    static RequestSlot unlimited() {
        return Unlimited.INSTANCE;
    }
}

/** The slot of {@link RequestSlot#unlimited()}. */
enum Unlimited implements RequestSlot {
    INSTANCE;

    @Override
    public void acquire() {
    }

    @Override
    public void release() {
    }
}
