package dev.aar.core.extract;

import java.util.Objects;

/**
 * One entry that was skipped, and why.
 *
 * @param path the entry's normalised path inside the archive
 * @param reason why it was skipped
 * @param detail a short sentence with specifics (sizes, link type), never null
 */
public record SkippedEntry(String path, SkipReason reason, String detail) {

    public SkippedEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }
}
