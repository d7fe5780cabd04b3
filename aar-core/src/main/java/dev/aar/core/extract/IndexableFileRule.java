package dev.aar.core.extract;

import dev.aar.core.config.ScaleLimits;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Decides which files of a codebase are indexable: not under an excluded directory, no NUL byte in
 * the first {@value #SNIFF_BYTES} bytes, and at most {@code MaxFileSizeBytes}.
 *
 * <p>Preflight, extraction and indexing all use this one rule, so their counts agree. Excluded
 * names match whole directory segments only: {@code src/node_modules/x.js} is excluded,
 * {@code src/node_modules_like/x.js} and a file named {@code build} are not. Matching is
 * case-sensitive, like the file systems the archives come from.
 */
public final class IndexableFileRule {

    /** How many leading bytes are inspected for a NUL byte. */
    public static final int SNIFF_BYTES = 8192;

    private final Set<String> excludedDirectories;
    private final long maxFileSizeBytes;

    /**
     * @param excludedDirectories directory names whose subtrees are excluded
     * @param maxFileSizeBytes largest indexable file
     */
    public IndexableFileRule(List<String> excludedDirectories, long maxFileSizeBytes) {
        this.excludedDirectories = Set.copyOf(Objects.requireNonNull(excludedDirectories, "excludedDirectories"));
        if (maxFileSizeBytes < 1) {
            throw new IllegalArgumentException("maxFileSizeBytes must be at least 1, was " + maxFileSizeBytes);
        }
        this.maxFileSizeBytes = maxFileSizeBytes;
    }

    /** Returns the rule configured by {@code ScaleLimits.ExcludedDirectories} and {@code MaxFileSizeBytes}. */
    public static IndexableFileRule of(ScaleLimits limits) {
        return new IndexableFileRule(limits.excludedDirectories(), limits.maxFileSizeBytes());
    }

    public long maxFileSizeBytes() {
        return maxFileSizeBytes;
    }

    /**
     * Returns whether a directory segment of {@code path} is excluded.
     *
     * @param path a '/'-separated relative path of a file; its last segment (the file name) is not a directory
     */
    public boolean isExcluded(String path) {
        int start = 0;
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', start)) {
            if (slash > start && excludedDirectories.contains(path.substring(start, slash))) {
                return true;
            }
            start = slash + 1;
        }
        return false;
    }

    /** Returns whether a file of {@code size} bytes is too large to index. */
    public boolean isTooLarge(long size) {
        return size > maxFileSizeBytes;
    }

    /** Returns whether the file whose first bytes are {@code head[0..length)} is binary (holds a NUL). */
    public static boolean isBinary(byte[] head, int length) {
        int n = Math.min(length, SNIFF_BYTES);
        for (int i = 0; i < n; i++) {
            if (head[i] == 0) {
                return true;
            }
        }
        return false;
    }

    /** Returns whether {@code path} with content starting {@code head[0..length)} and {@code size} bytes is indexable. */
    public boolean isIndexable(String path, byte[] head, int length, long size) {
        return !isExcluded(path) && !isTooLarge(size) && !isBinary(head, length);
    }
}
