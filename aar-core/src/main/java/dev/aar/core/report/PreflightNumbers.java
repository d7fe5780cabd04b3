package dev.aar.core.report;

import java.util.List;

/**
 * What preflight estimated for the project, as shown in the report (the spec's preflight fields).
 *
 * @param fileCount indexable files
 * @param totalBytes their total size
 * @param estimatedTokens tokens estimated for embedding
 * @param estimatedCost estimated embedding cost, in the configured currency (USD by default)
 * @param estimatedProcessingTimeMinutes estimated processing time
 * @param estimatedPhaseTimings the estimated time of each phase, in phase order (empty in reports made before
 *        estimates had phases)
 */
public record PreflightNumbers(int fileCount, long totalBytes, long estimatedTokens, double estimatedCost,
        int estimatedProcessingTimeMinutes, List<PhaseTiming> estimatedPhaseTimings) {

    public PreflightNumbers {
        estimatedPhaseTimings = estimatedPhaseTimings == null ? List.of() : List.copyOf(estimatedPhaseTimings);
    }

    /** Numbers without a per-phase estimate. */
    public PreflightNumbers(int fileCount, long totalBytes, long estimatedTokens, double estimatedCost,
            int estimatedProcessingTimeMinutes) {
        this(fileCount, totalBytes, estimatedTokens, estimatedCost, estimatedProcessingTimeMinutes, List.of());
    }
}
