package dev.aar.core.extract.internal;

import dev.aar.core.config.ScaleLimits;
import dev.aar.core.extract.ExtractionOptions;
import dev.aar.core.extract.IndexableFileRule;

/**
 * The limits a walk enforces.
 *
 * @param maxEntries most raw entries (files, directories, excluded or not) an archive may hold ({@code MaxArchiveEntries})
 * @param maxTotalUncompressedBytes most bytes the archive may inflate to
 * @param maxCompressionRatio highest inflated/compressed ratio
 * @param ratioGraceBytes inflated bytes allowed before the ratio rule applies
 * @param rule the indexable-file rule (excluded directories, size cap)
 */
public record ZipLimits(long maxEntries, long maxTotalUncompressedBytes, long maxCompressionRatio,
                        long ratioGraceBytes, IndexableFileRule rule) {

    /** Returns the limits configured by {@code ScaleLimits} and the options' ratio grace. */
    public static ZipLimits of(ScaleLimits limits, ExtractionOptions options) {
        return new ZipLimits(limits.maxArchiveEntries(), limits.maxTotalUncompressedBytes(),
                limits.maxCompressionRatio(), options.ratioGraceBytes(), IndexableFileRule.of(limits));
    }
}
