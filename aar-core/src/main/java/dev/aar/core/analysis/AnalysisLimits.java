package dev.aar.core.analysis;

import dev.aar.core.error.ConfigException;
import java.time.Duration;

/**
 * How much work analysis may spend on one file and on one run; hostile uploads are bounded by it.
 *
 * <p>A file over {@code maxFileBytes} or {@code maxFileLines} is not analysed at all; a file that
 * takes one analyzer longer than {@code fileTimeBudget} is dropped for the rest of the run. Either
 * way the run reports it as an {@link dev.aar.core.event.Severity#INFO} finding
 * ({@value AnalysisRunner#SKIPPED_RULE}) and goes on. A run still going after {@code deadline}
 * fails with {@link dev.aar.core.error.AnalysisDeadlineException}.
 *
 * @param maxFileBytes largest file analysed, in bytes ({@code Analysis.MaxAnalyzedFileBytes})
 * @param maxFileLines most lines of a file analysed ({@code Analysis.MaxAnalyzedFileLines})
 * @param fileTimeBudget longest one analyzer may spend on one file ({@code Analysis.FileTimeBudgetMillis})
 * @param deadline longest one run of all analyzers may take ({@code Analysis.DeadlineSeconds})
 */
public record AnalysisLimits(long maxFileBytes, int maxFileLines, Duration fileTimeBudget, Duration deadline) {

    /** 8 MiB: more than any hand-written source file, less than the 10 MiB indexing limit. */
    public static final long DEFAULT_MAX_FILE_BYTES = 8L * 1024 * 1024;
    /** 500,000 lines: generated files this long say nothing about a design. */
    public static final int DEFAULT_MAX_FILE_LINES = 500_000;
    /** 10 s: linear scanners take milliseconds on a file within the size limits. */
    public static final Duration DEFAULT_FILE_TIME_BUDGET = Duration.ofSeconds(10);
    /** 1 h: far above what a 50,000-file project needs; the last guard, not a working limit. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofHours(1);

    public AnalysisLimits {
        checkRange("MaxAnalyzedFileBytes", maxFileBytes, 1, Long.MAX_VALUE);
        checkRange("MaxAnalyzedFileLines", maxFileLines, 1, Integer.MAX_VALUE);
        if (fileTimeBudget == null || deadline == null) {
            throw new NullPointerException("fileTimeBudget and deadline must not be null");
        }
        checkRange("FileTimeBudgetMillis", fileTimeBudget.toMillis(), 1, 24L * 3600 * 1000);
        checkRange("DeadlineSeconds", deadline.toSeconds(), 1, 7L * 24 * 3600);
    }

    private static void checkRange(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ConfigException(ConfigException.Reason.OUT_OF_RANGE, AnalysisConfig.SECTION + "." + key + " = "
                    + value + " is out of range; allowed: " + min + ".." + max);
        }
    }

    /** Returns the defaults. */
    public static AnalysisLimits defaults() {
        return new AnalysisLimits(DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_FILE_LINES, DEFAULT_FILE_TIME_BUDGET,
                DEFAULT_DEADLINE);
    }

    /** Returns these limits with {@code maxFileBytes} instead. */
    public AnalysisLimits withMaxFileBytes(long value) {
        return new AnalysisLimits(value, maxFileLines, fileTimeBudget, deadline);
    }

    /** Returns these limits with {@code maxFileLines} instead. */
    public AnalysisLimits withMaxFileLines(int value) {
        return new AnalysisLimits(maxFileBytes, value, fileTimeBudget, deadline);
    }

    /** Returns these limits with {@code fileTimeBudget} instead. */
    public AnalysisLimits withFileTimeBudget(Duration value) {
        return new AnalysisLimits(maxFileBytes, maxFileLines, value, deadline);
    }

    /** Returns these limits with {@code deadline} instead. */
    public AnalysisLimits withDeadline(Duration value) {
        return new AnalysisLimits(maxFileBytes, maxFileLines, fileTimeBudget, value);
    }
}
