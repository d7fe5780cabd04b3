package dev.aar.queue;

/**
 * Which claimable job a {@link JobQueue#claim(String, int, java.time.Duration, JobPriority, ClaimOrder)}
 * takes first.
 *
 * <p>Both orders are plain sort keys over columns a SQL backend already has, so they map to an
 * indexed {@code ORDER BY}: {@link #PRIORITY} is {@code priority DESC, seq ASC} and {@link #AGE} is
 * {@code seq ASC}, where {@code seq} is the enqueue order, always restricted to claimable jobs
 * ({@code state = 'queued' AND run_at <= now}).
 */
public enum ClaimOrder {
    /** Highest priority first, then FIFO by enqueue order: the normal order. */
    PRIORITY,
    /**
     * The job enqueued earliest first, whatever its priority; a worker pool takes a
     * share of its claims in this order so that low priorities progress under a steady stream of
     * high ones (see the worker runtime's starvation policy).
     */
    AGE
}
