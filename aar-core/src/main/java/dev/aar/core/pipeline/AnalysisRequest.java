package dev.aar.core.pipeline;

import dev.aar.core.quota.QuotaReservation;
import dev.aar.core.report.PreflightNumbers;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The payload of an analysis job, as JSON in the queue.
 *
 * @param projectId the project to analyse ({@code JobContext.projectId()} reads this field)
 * @param ownerId the organization that owns it
 * @param preflight the numbers preflight gave when the job was queued, for the report
 * @param reservation the quota reserved at queueing, committed with the actual usage at the end; may be null
 */
public record AnalysisRequest(String projectId, String ownerId, PreflightNumbers preflight,
        @Nullable QuotaReservation reservation) {

    /** The job type analysis jobs are queued under. */
    public static final String JOB_TYPE = "analysis";

    public AnalysisRequest {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(ownerId, "ownerId");
    }
}
