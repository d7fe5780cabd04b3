package dev.aar.core.extract.internal;

import dev.aar.core.extract.IndexableFileRule;
import dev.aar.core.extract.SkipReason;
import org.apache.commons.compress.archivers.zip.UnixStat;

/** The header-only rules, applied the same way by every walker. */
final class EntryClassifier {

    private EntryClassifier() {
    }

    /** Returns whether the entry is a directory (trailing '/' or a Unix directory mode). */
    static boolean isDirectory(ZipHeader h, EntryPath p) {
        return p.directory() || h.unixType() == UnixStat.DIR_FLAG;
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
        if (type == 0 || type == UnixStat.FILE_FLAG || type == UnixStat.DIR_FLAG) {
            return null;
        }
        return type == UnixStat.LINK_FLAG ? SkipReason.SYMLINK : SkipReason.SPECIAL_FILE;
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
