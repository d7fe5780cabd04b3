package dev.aar.core.event;

import dev.aar.core.redact.Redactor;

/**
 * A job ended (the spec's {@code JobCompleted}).
 *
 * @param projectId the project
 * @param jobId the job
 * @param isSuccess whether it produced a report
 * @param reportId the report's id when it succeeded, else null
 * @param error what went wrong when it failed for good, else null; masked by {@link Redactor#forClient}
 */
public record JobCompleted(String projectId, String jobId, boolean isSuccess, String reportId, String error)
        implements ProgressEvent {

    public JobCompleted {
        error = Redactor.forClient(error);
    }
}
