package dev.aar.core.event;

/**
 * A job ended (the spec's {@code JobCompleted}).
 *
 * @param projectId the project
 * @param jobId the job
 * @param isSuccess whether it produced a report
 * @param reportId the report's id when it succeeded, else null
 * @param error what went wrong when it failed for good, else null
 */
public record JobCompleted(String projectId, String jobId, boolean isSuccess, String reportId, String error)
        implements ProgressEvent {
}
