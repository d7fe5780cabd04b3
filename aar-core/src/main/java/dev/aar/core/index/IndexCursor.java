package dev.aar.core.index;

import org.jspecify.annotations.Nullable;

/**
 * How far indexing got, in the order the files were fed: the first {@code filesDone} files have all
 * their chunks stored. Save it as a checkpoint ({@code processedFileCount}, {@code lastProcessedFile})
 * and pass it back to {@link Indexer#index} to resume.
 *
 * @param filesDone how many files, from the start of the sequence, are completely indexed
 * @param lastFile path of the last of them, or null when {@code filesDone} is 0; lets a resume
 *     check that it is fed the same files in the same order
 */
public record IndexCursor(int filesDone, @Nullable String lastFile) {

    /** Nothing indexed yet. */
    public static final IndexCursor START = new IndexCursor(0, null);

    public IndexCursor {
        if (filesDone < 0) {
            throw new IllegalArgumentException("filesDone must be >= 0, was " + filesDone);
        }
        if (filesDone > 0 && lastFile == null) {
            throw new IllegalArgumentException("lastFile is required when filesDone = " + filesDone);
        }
    }
}
