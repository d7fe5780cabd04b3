package dev.aar.core.index;

import java.time.Duration;

/**
 * What one {@link Indexer#index} call did.
 *
 * @param totals the final running totals
 * @param filesSkipped files skipped because the cursor said they were done
 * @param cursor the cursor after the last file (pass it back and nothing is redone)
 * @param elapsed wall-clock time of the call
 */
public record IndexingResult(IndexingProgress totals, int filesSkipped, IndexCursor cursor, Duration elapsed) {
}
