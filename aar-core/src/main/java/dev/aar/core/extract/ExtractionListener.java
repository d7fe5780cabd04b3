package dev.aar.core.extract;

import java.nio.file.Path;

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

    /**
     * Called once for every file written, right after its last byte, so a consumer can start on it
     * before the extraction ends. {@code location} is where the file is now: a staging directory that
     * becomes the target when the whole archive has been read and verified (or is deleted when it is
     * refused). With several workers, files arrive in no fixed order. A file read from a stream may
     * still be retracted by the central directory at the end ({@link #onSkip} tells).
     *
     * @param path the file's relative path, '/'-separated
     * @param location the file as written, under the staging directory
     */
    default void onFileWritten(String path, Path location) {
    }
}
