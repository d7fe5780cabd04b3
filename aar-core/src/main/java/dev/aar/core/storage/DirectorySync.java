package dev.aar.core.storage;

import java.nio.file.Path;

/**
 * Makes a directory's entries durable: a rename, a new subdirectory or a deletion only survives a
 * crash once the directory holding the entry is flushed. Tests substitute one that records calls.
 */
@FunctionalInterface
interface DirectorySync {

    /** The real thing: {@code fsync} on the directory (a no-op where directories cannot be opened). */
    DirectorySync FSYNC = DurableFiles::fsyncDirectory;

    void sync(Path dir);
}
