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
 * @param elapsedMillis the job's own wall-clock time, less than the phases' sum because they overlap; 0 when
 *        unknown (measurements recorded before phases overlapped)
 * @param estimatedSeconds what preflight estimated for the job's wall time, 0 when unknown
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
        long elapsedMillis,
        double estimatedSeconds) {

    public JobThroughput {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(embeddingModel, "embeddingModel");
        if (files < 0 || bytes < 0 || tokens < 0 || extractingMillis < 0 || indexingMillis < 0
                || analyzingMillis < 0 || savingMillis < 0 || elapsedMillis < 0 || !(estimatedSeconds >= 0)) {
            throw new IllegalArgumentException("job " + jobId + ": counts and times must be >= 0");
        }
    }

    /** Returns the four phases' time added up, in seconds. */
    public double phasesSeconds() {
        return (extractingMillis + indexingMillis + analyzingMillis + savingMillis) / 1000.0;
    }

    /** Returns the job's wall time in seconds: {@link #elapsedMillis()}, or the phases' sum when that is unknown. */
    public double totalSeconds() {
        return elapsedMillis > 0 ? elapsedMillis / 1000.0 : phasesSeconds();
    }

    /**
     * Returns the job's wall time as a share of its phases' sum (how much overlapping the phases saved), or
     * NaN when the wall time is unknown.
     */
    public double overlapShare() {
        double phases = phasesSeconds();
        return elapsedMillis > 0 && phases > 0 ? Math.min(1.0, elapsedMillis / 1000.0 / phases) : Double.NaN;
    }
}
