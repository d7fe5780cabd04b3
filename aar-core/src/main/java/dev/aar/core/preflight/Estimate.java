package dev.aar.core.preflight;

import java.util.Objects;

/**
 * How long a job is expected to take, phase by phase, and how long it waits before it starts.
 *
 * @param extractingSeconds Extracting, with the job's fixed start-up time
 * @param indexingSeconds Indexing
 * @param analyzingSeconds Analyzing
 * @param savingSeconds Saving
 * @param totalSeconds the job's expected wall time: less than the phases' sum, because Indexing starts on the
 *        first extracted files and Analyzing runs beside it
 * @param startInSeconds expected wait in the queue before a worker takes the job
 * @param basis one sentence saying what the numbers come from (measured jobs or the configured model)
 */
public record Estimate(double extractingSeconds, double indexingSeconds, double analyzingSeconds,
                       double savingSeconds, double totalSeconds, double startInSeconds, String basis) {

    /** An estimate of nothing: no files, no time. */
    public static final Estimate NONE = new Estimate(0, 0, 0, 0, 0, 0, "no indexable files");

    public Estimate {
        Objects.requireNonNull(basis, "basis");
    }

    /** Returns the four phases' times added up, in seconds (more than {@link #totalSeconds()} when they overlap). */
    public double phasesSeconds() {
        return extractingSeconds + indexingSeconds + analyzingSeconds + savingSeconds;
    }

    /** Returns the spec's {@code estimatedProcessingTimeMinutes}: the total rounded up to whole minutes. */
    public long minutes() {
        return (long) Math.ceil(totalSeconds() / 60.0);
    }
}
