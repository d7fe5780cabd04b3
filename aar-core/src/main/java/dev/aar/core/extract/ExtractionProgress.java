package dev.aar.core.extract;

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
                                 String currentEntry) {
}
