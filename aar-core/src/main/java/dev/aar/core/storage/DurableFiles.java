package dev.aar.core.storage;

import dev.aar.core.internal.AtomicFiles;
import dev.aar.core.internal.OwnerOnly;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/** Crash-safe file writes: write a temporary file, force it to disk, rename it into place, force the directory. */
final class DurableFiles {

    private static final int BUFFER = 256 * 1024;

    private DurableFiles() {
    }

    static long writeDurably(InputStream data, Path temp) throws IOException {
        long size = 0;
        try (FileChannel out = OwnerOnly.open(temp, Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW))) {
            byte[] buffer = new byte[BUFFER];
            ByteBuffer wrapped = ByteBuffer.wrap(buffer);
            int n;
            while ((n = data.read(buffer)) != -1) {
                wrapped.clear().limit(n);
                while (wrapped.hasRemaining()) {
                    out.write(wrapped);
                }
                size += n;
            }
            out.force(true);
        }
        return size;
    }

    /** Renames {@code from} over {@code to} atomically, then flushes the directory that gained the entry. */
    static void moveAtomically(Path from, Path to, DirectorySync sync) throws IOException {
        AtomicFiles.replace(from, to); // tmp/ is inside the root: only exotic file systems refuse the atomic rename
        sync.sync(to.getParent());
    }

    /** The rename is only durable once the directory entry is on disk too. */
    static void fsyncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some platforms (Windows) cannot open a directory; the file itself was already forced
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: tmp/ is cleared at the next open
        }
    }
}
