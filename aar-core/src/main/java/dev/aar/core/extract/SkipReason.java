package dev.aar.core.extract;

import java.util.Locale;

/** Why an entry was not extracted or counted; the archive itself was still accepted. */
public enum SkipReason {
    /** The entry lies under an excluded directory such as {@code node_modules}. */
    EXCLUDED_DIRECTORY,
    /** A NUL byte appears in the first 8 KiB. */
    BINARY,
    /** The entry is, or inflates to, more than {@code MaxFileSizeBytes}. */
    TOO_LARGE,
    /** A symbolic link; links are never materialised. */
    SYMLINK,
    /** A device, FIFO, socket or other non-regular entry; never materialised. */
    SPECIAL_FILE,
    /** The entry is encrypted. */
    ENCRYPTED,
    /** The entry uses a compression method other than stored or deflated. */
    UNSUPPORTED_COMPRESSION,
    /** An earlier entry has the same path; the first one wins. */
    DUPLICATE,
    /** The path is already taken by a directory or file of another entry (e.g. {@code a} and {@code a/b}). */
    PATH_CONFLICT,
    /**
     * The target file system cannot hold the name: a segment over 255 bytes, a path too long for the
     * target directory, or characters or names the file system refuses.
     */
    UNSUPPORTED_NAME;

    /** Returns a stable code such as {@code "skip.binary"}. */
    public String code() {
        return "skip." + name().toLowerCase(Locale.ROOT);
    }
}
