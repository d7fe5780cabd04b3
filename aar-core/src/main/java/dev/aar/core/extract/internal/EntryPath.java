package dev.aar.core.extract.internal;

/**
 * A validated, normalised entry path.
 *
 * @param path '/'-separated relative path without '.' or empty segments; empty for the archive root
 * @param directory whether the entry names a directory (its raw name ended with '/')
 * @param hash a 64-bit hash of {@code path}, used to find duplicates without keeping names in memory
 */
public record EntryPath(String path, boolean directory, long hash) {
}
