package dev.aar.core.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.UUID;

/**
 * Files that appear whole or not at all: written beside their target and renamed over it, so a process
 * killed half-way leaves the old file (or none) and a temporary file, never a half-written target.
 * Against a power cut this needs a forced write and directory too ({@code storage.DurableFiles} does that).
 */
public final class AtomicFiles {

    /** Writes the content of a file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Renames {@code from} over {@code to} in one step where the file system can, else replaces it. */
    public static void replace(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Writes {@code target} owner-only ({@link OwnerOnly}) through a temporary file in its directory. */
    public static void write(Path target, Content content) throws IOException {
        Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (OutputStream out = OwnerOnly.newOutputStream(temp,
                    Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW))) {
                content.writeTo(out);
            }
            replace(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
