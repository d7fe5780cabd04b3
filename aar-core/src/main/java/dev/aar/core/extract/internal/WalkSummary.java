package dev.aar.core.extract.internal;

/**
 * What a walk saw.
 *
 * @param entries entries in the archive (files and directories)
 * @param archiveBytes bytes of the archive read (its size, for a file)
 * @param inflatedBytes bytes actually inflated
 */
public record WalkSummary(long entries, long archiveBytes, long inflatedBytes) {
}
