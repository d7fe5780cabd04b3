package dev.aar.core.storage;

import dev.aar.core.internal.FileTrees;
import dev.aar.core.internal.Threads;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes directories of discarded parts off the caller's path: one atomic rename into {@code trash/},
 * then a background thread unlinks the files. Unlinking thousands of part files costs seconds on a
 * real disk (about 1.6 ms each on the benchmark VM), which a finalize or cancel should not wait for.
 * Whatever is still in the trash when the store closes (or the process dies) is removed at the next open.
 */
final class TrashBin implements AutoCloseable {

    /** How long {@link #close} waits for pending deletions before leaving them to the next open. */
    static final long CLOSE_WAIT_SECONDS = 60;

    private static final Logger log = LoggerFactory.getLogger(TrashBin.class);

    private final Path trash;
    private final ExecutorService cleaner;

    TrashBin(Path trash) {
        this.trash = trash;
        // never keeps a JVM alive: leftovers are removed at the next open
        this.cleaner = Executors.newSingleThreadExecutor(Threads.daemon("aar-blob-store-trash"));
    }

    /**
     * Moves {@code dir} into the trash atomically (flushing {@code dir}'s parent) and schedules its
     * deletion; returns false if there was no such directory.
     */
    boolean discard(Path dir, DirectorySync sync) throws IOException {
        // a fresh name, not the upload id plus a suffix: an upload id may already be as long as a file name can be
        Path aside = trash.resolve(UUID.randomUUID().toString());
        try {
            Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw e; // the trash itself is missing
            }
            return false;
        }
        sync.sync(dir.getParent());
        deleteLater(aside);
        return true;
    }

    /** Schedules the deletion of {@code dir} and everything in it. */
    void deleteLater(Path dir) {
        try {
            cleaner.execute(() -> deleteTree(dir));
        } catch (RejectedExecutionException e) {
            // closed meanwhile: the next open empties the trash
        }
    }

    /** Schedules the deletion of everything already in the trash (left by a crash or an early close). */
    void emptyLater() throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(trash)) {
            for (Path entry : entries) {
                deleteLater(entry);
            }
        }
    }

    /** Waits until every deletion scheduled so far has run. */
    void awaitIdle() throws InterruptedException {
        try {
            cleaner.submit(() -> { }).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        cleaner.shutdown();
        try {
            if (!cleaner.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                log.info("blob store trash {} is not empty yet; the next open finishes it", trash);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot empty blob store trash entry {}; the next open tries again: {}", dir, e.toString());
        }
    }
}
