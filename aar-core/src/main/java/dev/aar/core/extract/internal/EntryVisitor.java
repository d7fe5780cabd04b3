package dev.aar.core.extract.internal;

import dev.aar.core.extract.SkipReason;
import java.io.IOException;

/** What a walk does with each entry; {@link #file} may be called from several threads at once. */
public interface EntryVisitor {

    /** Called once before any entry, with the entry count when the central directory was read first (else -1). */
    default void started(long totalEntries) {
    }

    /**
     * A regular file that passed every name and type rule; read as much of {@code content} as needed.
     *
     * @param path normalised relative path
     * @param declaredSize the size the headers declare, or -1 when not known yet (streamed with a descriptor)
     */
    void file(String path, long declaredSize, EntryContent content) throws IOException;

    /** An entry skipped by a rule decided from its headers alone. */
    void skipped(String path, SkipReason reason, String detail);

    /**
     * Streaming only: the central directory, read last, shows that a file already handed to
     * {@link #file} is not a regular file; undo whatever was done with it.
     */
    default void retract(String path, SkipReason reason, String detail) {
    }
}
