package dev.aar.core.event;

import java.time.Instant;

/**
 * An attempt of a job failed and it will be retried.
 *
 * @param projectId the project
 * @param jobId the job
 * @param attempt the attempt that failed (1-based)
 * @param error what went wrong
 * @param retryAt when it will be tried again
 */
public record JobFailed(String projectId, String jobId, int attempt, String error, Instant retryAt)
        implements ProgressEvent {
}
