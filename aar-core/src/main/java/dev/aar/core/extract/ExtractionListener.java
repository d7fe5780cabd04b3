package dev.aar.core.extract;

/**
 * Receives extraction progress and skips as they happen; calls are serialised, never concurrent.
 *
 * <p>Every skip is delivered here even when {@link ExtractionResult#skipped()} keeps only the first
 * {@link ExtractionOptions#maxReportedSkips()}.
 */
public interface ExtractionListener {

    /** A listener that ignores everything. */
    ExtractionListener NONE = new ExtractionListener() { };

    /** Called at most once per {@link ExtractionOptions#progressInterval()}, and once at the end. */
    default void onProgress(ExtractionProgress progress) {
    }

    /** Called once for every skipped entry. */
    default void onSkip(SkippedEntry skipped) {
    }
}
