package dev.aar.core.preflight;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The spec's preflight answer; serialises to the spec's JSON fields first, then the SDK's.
 *
 * @param fileCount indexable files
 * @param totalBytes bytes of the indexable files
 * @param estimatedTokens tokens of the indexable files (exact or estimated, see {@link TokenMode})
 * @param estimatedCost {@code estimatedTokens / 1e6 × CostPerMillionTokens}
 * @param estimatedProcessingTimeMinutes {@code estimate}'s total, rounded up to whole minutes
 * @param requiresApproval files over {@code AutoApprovalThresholdFiles} or tokens over {@code AutoApprovalThresholdTokens}
 * @param isWithinLimits whether no limit is exceeded and the archive was accepted
 * @param rejectionReasons why not, empty when within limits
 * @param estimatedProcessingTimeSeconds {@code estimate}'s total, rounded up to whole seconds (SDK)
 * @param estimatedStartInSeconds expected wait in the queue, rounded up to whole seconds (SDK)
 * @param estimate the time per phase and what it is based on (SDK), see {@link ThroughputEstimator}
 */
@JsonPropertyOrder({"fileCount", "totalBytes", "estimatedTokens", "estimatedCost", "estimatedProcessingTimeMinutes",
    "requiresApproval", "isWithinLimits", "rejectionReasons", "estimatedProcessingTimeSeconds",
    "estimatedStartInSeconds", "estimate"})
public record PreflightResult(
        @JsonProperty("fileCount") long fileCount,
        @JsonProperty("totalBytes") long totalBytes,
        @JsonProperty("estimatedTokens") long estimatedTokens,
        @JsonProperty("estimatedCost") double estimatedCost,
        @JsonProperty("estimatedProcessingTimeMinutes") long estimatedProcessingTimeMinutes,
        @JsonProperty("requiresApproval") boolean requiresApproval,
        @JsonProperty("isWithinLimits") boolean isWithinLimits,
        @JsonProperty("rejectionReasons") List<RejectionReason> rejectionReasons,
        @JsonProperty("estimatedProcessingTimeSeconds") long estimatedProcessingTimeSeconds,
        @JsonProperty("estimatedStartInSeconds") long estimatedStartInSeconds,
        @JsonProperty("estimate") Estimate estimate) {

    public PreflightResult {
        rejectionReasons = List.copyOf(rejectionReasons);
        if (estimate == null) {
            estimate = Estimate.NONE;
        }
    }

    /** A result with the spec's fields only; the SDK's come from {@code estimate} or are zero. */
    public PreflightResult(long fileCount, long totalBytes, long estimatedTokens, double estimatedCost,
            long estimatedProcessingTimeMinutes, boolean requiresApproval, boolean isWithinLimits,
            List<RejectionReason> rejectionReasons) {
        this(fileCount, totalBytes, estimatedTokens, estimatedCost, estimatedProcessingTimeMinutes, requiresApproval,
                isWithinLimits, rejectionReasons, estimatedProcessingTimeMinutes * 60, 0, Estimate.NONE);
    }
}
