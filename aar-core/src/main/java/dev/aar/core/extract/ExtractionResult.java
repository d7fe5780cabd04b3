package dev.aar.core.extract;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an extraction produced.
 *
 * @param target the directory the files are in
 * @param entries entries in the archive (files and directories)
 * @param filesWritten indexable files written
 * @param bytesWritten bytes written
 * @param skippedCount entries skipped, all reasons together
 * @param skipCounts skipped entries per reason (reasons with none are absent)
 * @param skipped the first {@link ExtractionOptions#maxReportedSkips()} skipped entries, in the order they were found
 */
public record ExtractionResult(Path target, long entries, long filesWritten, long bytesWritten, long skippedCount,
                               Map<SkipReason, Long> skipCounts, List<SkippedEntry> skipped) {

    public ExtractionResult {
        Objects.requireNonNull(target, "target");
        skipCounts = Map.copyOf(skipCounts);
        skipped = List.copyOf(skipped);
    }
}
