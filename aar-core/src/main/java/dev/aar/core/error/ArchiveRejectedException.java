package dev.aar.core.error;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** An archive was refused as hostile, corrupt or over a limit; nothing of it was kept. */
public final class ArchiveRejectedException extends AarException {

    /** Why the archive was refused. */
    public enum Reason {
        /** An entry name would resolve outside the target directory. */
        PATH_TRAVERSAL,
        /** An entry name is too long, too deep, or holds NUL or control characters. */
        BAD_ENTRY_NAME,
        /** More raw entries than {@code MaxArchiveEntries}. */
        TOO_MANY_ENTRIES,
        /** More indexable files than {@code MaxFilesPerProject}. */
        TOO_MANY_FILES,
        /** The inflated total is over the configured cap. */
        TOO_LARGE,
        /** The archive is over {@code MaxUploadSizeMb}. */
        UPLOAD_TOO_LARGE,
        /** The compression ratio is beyond anything a real codebase has. */
        COMPRESSION_RATIO,
        /** Central-directory entries share data (an overlapping-entry zip bomb). */
        OVERLAPPING_ENTRIES,
        /** The archive is truncated, has bad headers, or a CRC does not match. */
        CORRUPT,
        /** The archive uses a feature this reader does not support. */
        UNSUPPORTED
    }

    private final Reason reason;
    private final @Nullable String entryName;

    public ArchiveRejectedException(Reason reason, @Nullable String entryName, String message) {
        super(message);
        this.reason = reason;
        this.entryName = entryName;
    }

    public ArchiveRejectedException(Reason reason, @Nullable String entryName, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.entryName = entryName;
    }

    /** Returns why the archive was refused. */
    public Reason reason() {
        return reason;
    }

    /** Returns the offending entry's name, or null when the archive as a whole was refused. */
    public @Nullable String entryName() {
        return entryName;
    }

    @Override
    public String code() {
        return "archive." + reason.name().toLowerCase(Locale.ROOT);
    }
}
