package dev.aar.core.extract;

import java.time.Duration;
import java.util.Objects;

/**
 * How an extraction runs (threads, progress rate, report size); the limits themselves come from
 * {@code ScaleLimits}.
 *
 * @param workers threads that inflate and write entries of a seekable archive
 * @param progressInterval least time between two progress callbacks
 * @param maxReportedSkips skipped entries kept in {@link ExtractionResult#skipped()}; the listener sees all
 * @param ratioGraceBytes inflated bytes always allowed before the compression-ratio rule applies, so a
 *     tiny archive holding one very compressible file is not refused
 */
public record ExtractionOptions(int workers, Duration progressInterval, int maxReportedSkips, long ratioGraceBytes) {

    public static final int DEFAULT_WORKERS = Math.max(1, Runtime.getRuntime().availableProcessors());
    public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofMillis(250);
    public static final int DEFAULT_MAX_REPORTED_SKIPS = 10_000;
    public static final long DEFAULT_RATIO_GRACE_BYTES = 16L * 1024 * 1024;

    public ExtractionOptions {
        if (workers < 1 || workers > 256) {
            throw new IllegalArgumentException("workers = " + workers + " is out of range; allowed: 1..256");
        }
        Objects.requireNonNull(progressInterval, "progressInterval");
        if (progressInterval.isNegative()) {
            throw new IllegalArgumentException("progressInterval = " + progressInterval + " must not be negative");
        }
        if (maxReportedSkips < 0) {
            throw new IllegalArgumentException("maxReportedSkips = " + maxReportedSkips + " must not be negative");
        }
        if (ratioGraceBytes < 0) {
            throw new IllegalArgumentException("ratioGraceBytes = " + ratioGraceBytes + " must not be negative");
        }
    }

    public static ExtractionOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link ExtractionOptions}; starts from the defaults. */
    public static final class Builder {
        private int workers = DEFAULT_WORKERS;
        private Duration progressInterval = DEFAULT_PROGRESS_INTERVAL;
        private int maxReportedSkips = DEFAULT_MAX_REPORTED_SKIPS;
        private long ratioGraceBytes = DEFAULT_RATIO_GRACE_BYTES;

        private Builder() {
        }

        public Builder workers(int v) { this.workers = v; return this; }
        public Builder progressInterval(Duration v) { this.progressInterval = v; return this; }
        public Builder maxReportedSkips(int v) { this.maxReportedSkips = v; return this; }
        public Builder ratioGraceBytes(long v) { this.ratioGraceBytes = v; return this; }

        public ExtractionOptions build() {
            return new ExtractionOptions(workers, progressInterval, maxReportedSkips, ratioGraceBytes);
        }
    }
}
