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
 * @param estimatedProcessingTimeSeconds the estimated wall time of the job, less than the phases' sum because
 *        they overlap (0 in reports made before phases overlapped)
 */
public record PreflightNumbers(int fileCount, long totalBytes, long estimatedTokens, double estimatedCost,
        int estimatedProcessingTimeMinutes, List<PhaseTiming> estimatedPhaseTimings,
        long estimatedProcessingTimeSeconds) {

    public PreflightNumbers {
        estimatedPhaseTimings = estimatedPhaseTimings == null ? List.of() : List.copyOf(estimatedPhaseTimings);
    }

    /** Numbers without a per-phase estimate. */
    public PreflightNumbers(int fileCount, long totalBytes, long estimatedTokens, double estimatedCost,
            int estimatedProcessingTimeMinutes) {
        this(fileCount, totalBytes, estimatedTokens, estimatedCost, estimatedProcessingTimeMinutes, List.of(), 0);
    }

    /**
     * Returns the estimated wall time in seconds: {@link #estimatedProcessingTimeSeconds()}, or for older
     * reports the phases' sum (0 when they have no phases either).
     */
    public double estimatedSeconds() {
        return estimatedProcessingTimeSeconds > 0 ? estimatedProcessingTimeSeconds
                : estimatedPhaseTimings.stream().mapToLong(PhaseTiming::millis).sum() / 1000.0;
    }
}
