package dev.aar.core.extract.internal;

import dev.aar.core.error.ArchiveRejectedException;
import dev.aar.core.error.ArchiveRejectedException.Reason;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the bytes actually inflated across all entries (and all threads) and refuses the archive
 * once they pass the total cap or the compression-ratio limit; declared sizes are never trusted.
 */
final class InflationBudget {

    private final ZipLimits limits;
    private final long archiveBytes;
    private final AtomicLong inflated = new AtomicLong();

    /** @param archiveBytes the archive's size, or -1 when streaming (the position read so far is used) */
    InflationBudget(ZipLimits limits, long archiveBytes) {
        this.limits = limits;
        this.archiveBytes = archiveBytes;
    }

    void add(long n, long compressedSoFar) {
        long total = inflated.addAndGet(n);
        check(total, archiveBytes >= 0 ? archiveBytes : compressedSoFar, false);
    }

    long inflated() {
        return inflated.get();
    }

    /** Refuses when {@code total} inflated bytes are over the cap or the ratio for {@code compressed} bytes. */
    void check(long total, long compressed, boolean declared) {
        String what = declared ? "declares" : "inflates to";
        checkTotal(total, declared);
        long allowed = Math.max(limits.ratioGraceBytes(), saturatedMultiply(Math.max(compressed, 1),
                limits.maxCompressionRatio()));
        if (total > allowed) {
            throw new ArchiveRejectedException(Reason.COMPRESSION_RATIO, null, "the archive " + what + " " + total
                    + " bytes from " + compressed + " compressed bytes, a ratio over " + limits.maxCompressionRatio()
                    + " (MaxCompressionRatio); it looks like a zip bomb");
        }
    }

    /** Refuses when {@code total} bytes are over {@code MaxTotalUncompressedBytes}, whatever the ratio. */
    void checkTotal(long total, boolean declared) {
        if (total > limits.maxTotalUncompressedBytes()) {
            throw new ArchiveRejectedException(Reason.TOO_LARGE, null, "the archive " + (declared ? "declares" : "inflates to")
                    + " more than " + limits.maxTotalUncompressedBytes() + " bytes (MaxTotalUncompressedBytes)");
        }
    }

    private static long saturatedMultiply(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return (hi != 0 || lo < 0) ? Long.MAX_VALUE : lo;
    }
}
