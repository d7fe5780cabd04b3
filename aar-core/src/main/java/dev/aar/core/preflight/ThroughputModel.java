package dev.aar.core.preflight;

import dev.aar.core.config.EmbeddingProcessing;

/**
 * The model behind {@code estimatedProcessingTimeMinutes}:
 * {@code fixedSeconds + totalBytes / bytesPerSecond + tokens / (tokensPerSecondPerRequest × MaxConcurrency,
 * capped by TokensPerMinute / 60) + files × secondsPerFile}, rounded up to whole minutes (0 for no files).
 *
 * @param fixedSeconds queueing, start-up and report writing, once per project
 * @param bytesPerSecond extraction and chunking rate
 * @param tokensPerSecondPerRequest embedding rate of one in-flight request
 * @param secondsPerFile analysis time per file
 */
public record ThroughputModel(double fixedSeconds, double bytesPerSecond, double tokensPerSecondPerRequest,
                              double secondsPerFile) {

    public static final double DEFAULT_FIXED_SECONDS = 30;
    public static final double DEFAULT_BYTES_PER_SECOND = 50_000_000;
    public static final double DEFAULT_TOKENS_PER_SECOND_PER_REQUEST = 1_000;
    public static final double DEFAULT_SECONDS_PER_FILE = 0.25;

    public ThroughputModel {
        check("fixedSeconds", fixedSeconds, true);
        check("bytesPerSecond", bytesPerSecond, false);
        check("tokensPerSecondPerRequest", tokensPerSecondPerRequest, false);
        check("secondsPerFile", secondsPerFile, true);
    }

    private static void check(String name, double v, boolean zeroOk) {
        if (!(zeroOk ? v >= 0 : v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " = " + v + " is out of range; allowed: "
                    + (zeroOk ? "finite, >= 0" : "finite, > 0"));
        }
    }

    public static ThroughputModel defaults() {
        return new ThroughputModel(DEFAULT_FIXED_SECONDS, DEFAULT_BYTES_PER_SECOND,
                DEFAULT_TOKENS_PER_SECOND_PER_REQUEST, DEFAULT_SECONDS_PER_FILE);
    }

    /** Returns the estimated minutes for a project of this size under {@code embedding}'s concurrency and rate limit. */
    public long minutes(long files, long bytes, long tokens, EmbeddingProcessing embedding) {
        if (files == 0) {
            return 0;
        }
        double tokensPerSecond = tokensPerSecondPerRequest * embedding.maxConcurrency();
        if (embedding.tokensPerMinute() > 0) {
            tokensPerSecond = Math.min(tokensPerSecond, embedding.tokensPerMinute() / 60.0);
        }
        double seconds = fixedSeconds + bytes / bytesPerSecond + tokens / tokensPerSecond + files * secondsPerFile;
        return (long) Math.ceil(seconds / 60.0);
    }
}
