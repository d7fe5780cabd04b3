package dev.aar.core.event;

/**
 * A job failed more often than allowed and moved to the dead-letter queue.
 *
 * @param projectId the project
 * @param jobId the job
 * @param attempts how many attempts it had
 * @param error the last error
 */
public record JobDeadLettered(String projectId, String jobId, int attempts, String error) implements ProgressEvent {
}
