package dev.aar.core.event;

import dev.aar.core.redact.Redactor;

/**
 * A job failed more often than allowed and moved to the dead-letter queue.
 *
 * @param projectId the project
 * @param jobId the job
 * @param attempts how many attempts it had
 * @param error the last error; masked by {@link Redactor#forClient}
 */
public record JobDeadLettered(String projectId, String jobId, int attempts, String error) implements ProgressEvent {

    public JobDeadLettered {
        error = Redactor.forClient(error);
    }
}
