package dev.aar.core.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the file system store does around its renames: parts moved aside on commit and abort and
 * deleted in the background, directories flushed, and writes that survive a concurrent delete
 * pruning their directory.
 */
class FileSystemBlobStoreDurabilityTest {

    @TempDir
    Path sandbox;

    @Test
    void commitMovesThePartsAsideAtOnceAndTheTrashIsEmptiedInTheBackground() throws Exception {
        try (FileSystemBlobStore store = FileSystemBlobStore.open(sandbox)) {
            StringBuilder expected = new StringBuilder();
            for (int n = 1; n <= 200; n++) {
                store.stagePart("k", "u1", n, text("part " + n + ";"));
                expected.append("part ").append(n).append(';');
            }

            store.commitParts("k", "u1", IntStream.rangeClosed(1, 200).boxed().toList());

            assertThat(sandbox.resolve("parts/u1")).doesNotExist();
            assertThat(read(store, "k")).isEqualTo(expected.toString());
            store.awaitTrashEmptied();
            assertThat(entries(sandbox.resolve("trash"))).isEmpty();
        }
    }

    @Test
    void anUploadIdAsLongAsAFileNameIsMovedAsideToo() throws Exception {
        String longId = "u".repeat(255);
        try (FileSystemBlobStore store = FileSystemBlobStore.open(sandbox)) {
            for (int n = 1; n <= 50; n++) {
                store.stagePart("k", longId, n, text("p"));
            }
            store.commitParts("k", longId, IntStream.rangeClosed(1, 50).boxed().toList());

            // gone at once, so it was renamed (deleting in place would happen in the background)
            assertThat(sandbox.resolve("parts").resolve(longId)).doesNotExist();
        }
    }

    @Test
    void abortMovesThePartsAsideToo() throws Exception {
        try (FileSystemBlobStore store = FileSystemBlobStore.open(sandbox)) {
            store.stagePart("k", "u1", 1, text("a"));
            store.stagePart("k", "u1", 2, text("b"));

            store.abortParts("k", "u1");
            store.abortParts("k", "u1"); // nothing left: a no-op

            assertThat(sandbox.resolve("parts/u1")).doesNotExist();
            store.awaitTrashEmptied();
            assertThat(entries(sandbox.resolve("trash"))).isEmpty();
            store.stagePart("k", "u1", 1, text("again")); // the upload id can be used anew
            assertThat(store.commitParts("k", "u1", List.of(1)).size()).isEqualTo(5);
        }
    }

    @Test
    void whatACrashLeftInTheTrashIsRemovedAtTheNextOpen() throws Exception {
        FileSystemBlobStore.open(sandbox).close();
        Path leftover = Files.createDirectories(sandbox.resolve("trash/u9.1234"));
        Files.writeString(leftover.resolve("1.part"), "stale");
        Files.writeString(sandbox.resolve("trash/stray-file"), "stale");

        try (FileSystemBlobStore store = FileSystemBlobStore.open(sandbox)) {
            store.awaitTrashEmptied();
            assertThat(entries(sandbox.resolve("trash"))).isEmpty();
        }
    }

    @Test
    void aCommitWhosePartsCannotBeMovedAsideStillPublishesTheBlobAndDeletesThemLater() throws Exception {
        try (FileSystemBlobStore store = FileSystemBlobStore.open(sandbox)) {
            store.stagePart("k", "u1", 1, text("hello "));
            store.stagePart("k", "u1", 2, text("world"));
            // the rename into the trash now fails: its target directory is a plain file
            Files.delete(sandbox.resolve("trash"));
            Files.writeString(sandbox.resolve("trash"), "in the way");

            assertThat(store.commitParts("k", "u1", List.of(1, 2)).size()).isEqualTo(11);

            assertThat(read(store, "k")).isEqualTo("hello world");
            store.awaitTrashEmptied();
            assertThat(sandbox.resolve("parts/u1")).doesNotExist();

            store.stagePart("k", "u2", 1, text("x"));
            store.abortParts("k", "u2"); // falls back to deleting in place, on the caller's thread
            assertThat(sandbox.resolve("parts/u2")).doesNotExist();
        }
    }

    @Test
    void writesNextToAConcurrentDeleteNeverLoseTheirDirectory() throws Exception {
        int threads = 8;
        int rounds = 150;
        try (FileSystemBlobStore store = FileSystemBlobStore.open(sandbox)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> results = new ArrayList<>();
            try {
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    results.add(pool.submit(() -> {
                        start.await();
                        for (int r = 0; r < rounds; r++) {
                            // every thread writes into the same deep directory and empties it again,
                            // so each delete prunes directories a sibling write is about to use
                            String key = "p/shared/deep/k" + id;
                            if (id % 2 == 0) {
                                store.put(key, text("v" + r));
                            } else {
                                store.stagePart(key, "u" + id + "-" + r, 1, text("v" + r));
                                store.commitParts(key, "u" + id + "-" + r, List.of(1));
                            }
                            assertThat(read(store, key)).isEqualTo("v" + r);
                            assertThat(store.delete(key)).isTrue();
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : results) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(store.list("")).isEmpty();
            assertThat(sandbox.resolve("blobs/p.d")).doesNotExist();
        }
    }

    @Test
    void newDirectoriesRenamesAndDeletesFlushTheDirectoriesThatChanged() throws Exception {
        List<Path> synced = new CopyOnWriteArrayList<>();
        try (FileSystemBlobStore store = FileSystemBlobStore.open(sandbox, synced::add)) {
            Path blobs = sandbox.toRealPath().resolve("blobs");
            Path parts = sandbox.toRealPath().resolve("parts");

            store.put("a/b/c", text("v"));
            // a.d is new (its entry is in blobs/), b.d is new (in a.d/), c.blob was renamed into b.d/
            assertThat(synced).containsExactly(blobs, blobs.resolve("a.d"), blobs.resolve("a.d/b.d"));

            synced.clear();
            store.stagePart("k", "u1", 1, text("p"));
            assertThat(synced).containsExactly(parts, parts.resolve("u1"));

            synced.clear();
            store.commitParts("k", "u1", List.of(1));
            // the blob's rename into blobs/, then the part directory's rename out of parts/
            assertThat(synced).containsExactly(blobs, parts);

            synced.clear();
            store.delete("a/b/c");
            // the blob and both emptied directories are gone: the deletions are recorded in blobs/
            assertThat(synced).containsExactly(blobs);
        }
    }

    @Test
    void theRealDirectoryFlushWorksOnThisPlatform() throws IOException {
        // DurableFiles.fsyncDirectory ignores failures (Windows cannot open directories); on the
        // platforms the SDK is deployed on it must really reach the fsync
        try (FileChannel dir = FileChannel.open(sandbox, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    private static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(UTF_8));
    }

    private static String read(FileSystemBlobStore store, String key) throws IOException {
        try (InputStream in = store.get(key).orElseThrow()) {
            return new String(in.readAllBytes(), UTF_8);
        }
    }

    private static List<Path> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
