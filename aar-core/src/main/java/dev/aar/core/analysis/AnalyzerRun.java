package dev.aar.core.analysis;

import org.jspecify.annotations.Nullable;

/**
 * What happened when one analyzer ran.
 *
 * @param analyzerId the analyzer
 * @param index its 0-based position in the run order
 * @param total how many analyzers the run has
 * @param findings how many findings it emitted (including any it emitted before failing)
 * @param failure why it failed, or null when it completed
 * @param durationMillis how long it ran
 */
public record AnalyzerRun(String analyzerId, int index, int total, int findings, @Nullable String failure,
        long durationMillis) {

    /** Returns whether the analyzer completed without throwing. */
    public boolean succeeded() {
        return failure == null;
    }
}
