package dev.aar.core.preflight;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The spec's preflight answer; serialises to exactly the spec's JSON fields.
 *
 * @param fileCount indexable files
 * @param totalBytes bytes of the indexable files
 * @param estimatedTokens tokens of the indexable files (exact or estimated, see {@link TokenMode})
 * @param estimatedCost {@code estimatedTokens / 1e6 × CostPerMillionTokens}
 * @param estimatedProcessingTimeMinutes from the {@link ThroughputModel}, rounded up
 * @param requiresApproval files over {@code AutoApprovalThresholdFiles} or tokens over {@code AutoApprovalThresholdTokens}
 * @param isWithinLimits whether no limit is exceeded and the archive was accepted
 * @param rejectionReasons why not, empty when within limits
 */
@JsonPropertyOrder({"fileCount", "totalBytes", "estimatedTokens", "estimatedCost", "estimatedProcessingTimeMinutes",
    "requiresApproval", "isWithinLimits", "rejectionReasons"})
public record PreflightResult(
        @JsonProperty("fileCount") long fileCount,
        @JsonProperty("totalBytes") long totalBytes,
        @JsonProperty("estimatedTokens") long estimatedTokens,
        @JsonProperty("estimatedCost") double estimatedCost,
        @JsonProperty("estimatedProcessingTimeMinutes") long estimatedProcessingTimeMinutes,
        @JsonProperty("requiresApproval") boolean requiresApproval,
        @JsonProperty("isWithinLimits") boolean isWithinLimits,
        @JsonProperty("rejectionReasons") List<RejectionReason> rejectionReasons) {

    public PreflightResult {
        rejectionReasons = List.copyOf(rejectionReasons);
    }
}
