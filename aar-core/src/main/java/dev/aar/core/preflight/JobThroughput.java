package dev.aar.core.preflight;

import java.time.Instant;
import java.util.Objects;

/**
 * What one finished analysis job did and how long each phase took: the measurements preflight
 * estimates are made from.
 *
 * @param jobId the job
 * @param finishedAt when its report was saved
 * @param embeddingModel name of the embedding model that ran (rates of different models never mix)
 * @param files indexable files reviewed
 * @param bytes their bytes
 * @param tokens tokens actually embedded (vectors reused by content hash are not counted)
 * @param extractingMillis wall-clock time of Extracting
 * @param indexingMillis wall-clock time of Indexing
 * @param analyzingMillis wall-clock time of Analyzing
 * @param savingMillis wall-clock time of Saving
 * @param estimatedSeconds what preflight estimated for the job, 0 when unknown
 */
public record JobThroughput(
        String jobId,
        Instant finishedAt,
        String embeddingModel,
        long files,
        long bytes,
        long tokens,
        long extractingMillis,
        long indexingMillis,
        long analyzingMillis,
        long savingMillis,
        double estimatedSeconds) {

    public JobThroughput {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(embeddingModel, "embeddingModel");
        if (files < 0 || bytes < 0 || tokens < 0 || extractingMillis < 0 || indexingMillis < 0
                || analyzingMillis < 0 || savingMillis < 0 || !(estimatedSeconds >= 0)) {
            throw new IllegalArgumentException("job " + jobId + ": counts and times must be >= 0");
        }
    }

    /** Returns the four phases' time together, in seconds. */
    public double totalSeconds() {
        return (extractingMillis + indexingMillis + analyzingMillis + savingMillis) / 1000.0;
    }
}
