package dev.aar.core.extract;

import org.jspecify.annotations.Nullable;

/**
 * A throttled progress snapshot.
 *
 * @param entriesDone entries handled so far (extracted or skipped)
 * @param totalEntries entries in the archive, or -1 while reading a stream whose end has not arrived
 * @param filesWritten files written so far
 * @param bytesWritten bytes written so far
 * @param currentEntry the entry most recently started, or null
 */
public record ExtractionProgress(long entriesDone, long totalEntries, long filesWritten, long bytesWritten,
                                 @Nullable String currentEntry) {
}
