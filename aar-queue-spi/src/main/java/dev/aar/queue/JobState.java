package dev.aar.queue;

/** Where a job is in its life. */
public enum JobState {
    /** Waiting to be claimed (possibly not before its run-at time). */
    QUEUED,
    /** Leased to a worker. */
    RUNNING,
    /** Completed successfully. */
    SUCCEEDED,
    /** Failed more often than allowed; kept with its error history until re-driven. */
    DEAD_LETTERED,
    /** Cancelled before it finished. */
    CANCELLED;

    /** Returns whether the job will never run again (unless re-driven). */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == DEAD_LETTERED || this == CANCELLED;
    }
}
