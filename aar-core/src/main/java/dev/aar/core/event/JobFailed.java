package dev.aar.core.event;

import dev.aar.core.redact.Redactor;

import java.time.Instant;

/**
 * An attempt of a job failed and it will be retried.
 *
 * @param projectId the project
 * @param jobId the job
 * @param attempt the attempt that failed (1-based)
 * @param error what went wrong; masked by {@link Redactor#forClient}
 * @param retryAt when it will be tried again
 */
public record JobFailed(String projectId, String jobId, int attempt, String error, Instant retryAt)
        implements ProgressEvent {

    public JobFailed {
        error = Redactor.forClient(error);
    }
}
