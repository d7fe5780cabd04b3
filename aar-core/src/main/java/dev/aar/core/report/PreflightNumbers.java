package dev.aar.core.report;

/**
 * What preflight estimated for the project, as shown in the report (the spec's preflight fields).
 *
 * @param fileCount indexable files
 * @param totalBytes their total size
 * @param estimatedTokens tokens estimated for embedding
 * @param estimatedCost estimated embedding cost, in the configured currency (USD by default)
 * @param estimatedProcessingTimeMinutes estimated processing time
 */
public record PreflightNumbers(int fileCount, long totalBytes, long estimatedTokens, double estimatedCost,
        int estimatedProcessingTimeMinutes) {
}
