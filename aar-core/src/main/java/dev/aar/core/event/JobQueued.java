package dev.aar.core.event;

/**
 * A job was added to the queue.
 *
 * @param projectId the project
 * @param jobId the job
 * @param priority its priority name ("Critical", "High", "Normal", "Low")
 */
public record JobQueued(String projectId, String jobId, String priority) implements ProgressEvent {
}
