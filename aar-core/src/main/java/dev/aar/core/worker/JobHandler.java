package dev.aar.core.worker;

import org.jspecify.annotations.Nullable;

/**
 * Runs the jobs of one type; the worker pool handles leases, heartbeats, retries and events around it.
 *
 * <p>A handler should check {@link JobContext#throwIfCancelled()} between units of work so that a
 * cancel or a shutdown stops it promptly, and save checkpoints so that a retry resumes instead of
 * starting over. A handler that throws fails the attempt; the pool retries it with backoff or
 * dead-letters it ({@code WorkerProcessing}'s {@code MaxRetryAttempts} and {@code RetryDelaySeconds}).
 */
public interface JobHandler {

    /** Returns the job type this handler runs, as given to {@code JobRequest.type}. */
    String type();

    /**
     * Runs one attempt of a job.
     *
     * @return the id of what the job produced (the report's id for an analysis), or null
     * @throws Exception any failure; the attempt is retried or dead-lettered
     */
    @Nullable String handle(JobContext context) throws Exception;
}
