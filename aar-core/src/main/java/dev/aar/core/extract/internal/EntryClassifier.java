package dev.aar.core.extract.internal;

import dev.aar.core.extract.IndexableFileRule;
import dev.aar.core.extract.SkipReason;

/** The header-only rules, applied the same way by every walker. */
final class EntryClassifier {

    static final int S_IFDIR = 0040000;
    static final int S_IFREG = 0100000;
    static final int S_IFLNK = 0120000;

    private EntryClassifier() {
    }

    /** Returns whether the entry is a directory (trailing '/' or a Unix directory mode). */
    static boolean isDirectory(ZipHeader h, EntryPath p) {
        return p.directory() || h.unixType() == S_IFDIR;
    }

    /** Returns the reason to skip a non-directory entry, or null to hand it to the visitor. */
    static SkipReason classify(ZipHeader h, EntryPath p, IndexableFileRule rule) {
        if (rule.isExcluded(p.path())) {
            return SkipReason.EXCLUDED_DIRECTORY;
        }
        if (StorableNames.refusal(p.path()) != null) {
            return SkipReason.UNSUPPORTED_NAME;
        }
        SkipReason type = typeReason(h);
        if (type != null) {
            return type;
        }
        if (h.encrypted()) {
            return SkipReason.ENCRYPTED;
        }
        if (!h.supportedMethod()) {
            return SkipReason.UNSUPPORTED_COMPRESSION;
        }
        if ((h.central() || !h.hasDescriptor()) && rule.isTooLarge(h.uncompressedSize())) {
            return SkipReason.TOO_LARGE;
        }
        return null;
    }

    /** Returns SYMLINK or SPECIAL_FILE for a non-regular Unix entry, else null. */
    static SkipReason typeReason(ZipHeader h) {
        int type = h.unixType();
        if (type == 0 || type == S_IFREG || type == S_IFDIR) {
            return null;
        }
        return type == S_IFLNK ? SkipReason.SYMLINK : SkipReason.SPECIAL_FILE;
    }

    static String detail(SkipReason reason, ZipHeader h, EntryPath p, IndexableFileRule rule) {
        return switch (reason) {
            case SPECIAL_FILE -> String.format("a special file (mode %06o); never materialised", h.unixType());
            case ENCRYPTED -> "encrypted";
            case UNSUPPORTED_COMPRESSION -> "compression method " + h.method()
                    + " is not supported (only stored, deflated, Deflate64 and bzip2)";
            default -> detail(reason, p, h.uncompressedSize(), rule);
        };
    }

    /** The detail of a reason every archive format shares. */
    static String detail(SkipReason reason, EntryPath p, long declaredSize, IndexableFileRule rule) {
        return switch (reason) {
            case UNSUPPORTED_NAME -> String.valueOf(StorableNames.refusal(p.path()));
            case EXCLUDED_DIRECTORY -> "under an excluded directory";
            case SYMLINK -> "a symbolic link; links are never materialised";
            case TOO_LARGE -> "declares " + declaredSize + " bytes, over MaxFileSizeBytes = " + rule.maxFileSizeBytes();
            case DUPLICATE -> "an earlier entry has the same path; the first one wins";
            default -> reason.name();
        };
    }
}
