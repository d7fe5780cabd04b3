package dev.aar.core.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.storage.PartLayout;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parts written at their offsets of one file by {@link FileSystemBlobStore}: what the kit cannot see. */
class InPlacePartsTest {

    private static final PartLayout TEN_IN_FOURS = new PartLayout(10, 4);

    @TempDir
    Path sandbox;

    private Path root;
    private FileSystemBlobStore store;

    @BeforeEach
    void open() {
        root = sandbox.resolve("store");
        store = FileSystemBlobStore.open(root);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aCommitInLayoutOrderRenamesTheAssemblyInsteadOfCopyingIt() throws IOException {
        stageAll("u1");
        Object assembly = fileKey(assemblyOf("u1"));

        store.commitParts("k", "u1", List.of(1, 2, 3));

        assertThat(read("k")).isEqualTo("0123456789");
        assertThat(fileKey(root.resolve("blobs/k.blob"))).isEqualTo(assembly); // the same inode: no copy
        assertThat(list(root.resolve("tmp"))).isEmpty();
    }

    @Test
    void aPartLongerThanItsRegionIsRefusedAndItsNeighbourKeepsItsBytes() {
        store.stagePart("k", "u1", 2, TEN_IN_FOURS, bytes("4567"));

        assertThatThrownBy(() -> store.stagePart("k", "u1", 1, TEN_IN_FOURS, bytes("0123XXXX")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than its 4 bytes");
        assertThatThrownBy(() -> store.stagePart("k", "u1", 3, TEN_IN_FOURS, bytes("8")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ended after 1 bytes");

        store.stagePart("k", "u1", 1, TEN_IN_FOURS, bytes("0123"));
        store.stagePart("k", "u1", 3, TEN_IN_FOURS, bytes("89"));
        store.commitParts("k", "u1", List.of(1, 2, 3));
        assertThat(read("k")).isEqualTo("0123456789");
    }

    @Test
    void aDeclaredTerabyteReservesNothing() throws IOException {
        PartLayout terabyte = new PartLayout(1L << 40, 1 << 20);

        store.stagePart("k", "u1", 1, terabyte, new ByteArrayInputStream(new byte[1 << 20]));

        // the file grows with the parts that arrive, never to the size a caller declared
        assertThat(Files.size(assemblyOf("u1"))).isEqualTo(1 << 20);
        List<Integer> all = IntStream.rangeClosed(1, terabyte.partCount()).boxed().toList();
        assertThatThrownBy(() -> store.commitParts("k", "u1", all)).isInstanceOf(RuntimeException.class)
                .hasMessageContaining("part 2 ").hasMessageContaining("never staged");
        assertThat(store.exists("k")).isFalse();
    }

    @Test
    void aSecondLayoutForOneUploadIsRefused() {
        store.stagePart("k", "u1", 1, TEN_IN_FOURS, bytes("0123"));

        assertThatThrownBy(() -> store.stagePart("k", "u1", 1, new PartLayout(10, 5), bytes("01234")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("were staged with");
    }

    @Test
    void aPartPlacedButNeverAcknowledgedIsReplacedByItsResendAfterARestart() {
        // the process wrote part 2 in place and died before answering; the client sends it again to a new process
        store.stagePart("k", "u1", 1, TEN_IN_FOURS, bytes("0123"));
        store.stagePart("k", "u1", 2, TEN_IN_FOURS, bytes("4x6x"));
        store.close();
        store = FileSystemBlobStore.open(root);

        store.stagePart("k", "u1", 2, TEN_IN_FOURS, bytes("4567"));
        store.stagePart("k", "u1", 3, TEN_IN_FOURS, bytes("89"));
        store.commitParts("k", "u1", List.of(1, 2, 3));

        assertThat(read("k")).isEqualTo("0123456789");
    }

    @Test
    void partsStagedBeforeARestartCommitAfterIt() {
        stageAll("u1");
        store.close();
        store = FileSystemBlobStore.open(root);

        store.commitParts("k", "u1", List.of(1, 2, 3));

        assertThat(read("k")).isEqualTo("0123456789");
    }

    @Test
    void aDuplicateSentWhileTheFirstHoldsTheRegionIsStagedBesideItAndWinsWhenTheFirstFails() throws Exception {
        stageWhileAFailingWriterHoldsTheRegion("4567");

        store.stagePart("k", "u1", 1, TEN_IN_FOURS, bytes("0123"));
        store.stagePart("k", "u1", 3, TEN_IN_FOURS, bytes("89"));
        store.commitParts("k", "u1", List.of(1, 2, 3));

        assertThat(read("k")).isEqualTo("0123456789");
    }

    @Test
    void aRegionWrittenAfterAnOlderStagedCopyReplacesIt() throws Exception {
        stageWhileAFailingWriterHoldsTheRegion("OLD!");

        store.stagePart("k", "u1", 2, TEN_IN_FOURS, bytes("4567")); // the region is free and unplaced: in place
        store.stagePart("k", "u1", 1, TEN_IN_FOURS, bytes("0123"));
        store.stagePart("k", "u1", 3, TEN_IN_FOURS, bytes("89"));
        store.commitParts("k", "u1", List.of(1, 2, 3));

        assertThat(read("k")).isEqualTo("0123456789");
    }

    /**
     * Part 2 is being written in place by a client that stalls half-way; meanwhile {@code duplicate}
     * is sent for the same part (so it is staged beside the locked region); then the stalled client drops.
     */
    private void stageWhileAFailingWriterHoldsTheRegion(String duplicate) throws Exception {
        CountDownLatch halfWritten = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> first = pool.submit(() -> store.stagePart("k", "u1", 2, TEN_IN_FOURS,
                    new StallingStream("45", halfWritten, release, new IOException("client went away"))));
            assertThat(halfWritten.await(30, TimeUnit.SECONDS)).isTrue();

            store.stagePart("k", "u1", 2, TEN_IN_FOURS, bytes(duplicate));
            release.countDown();

            assertThatThrownBy(first::get).hasRootCauseInstanceOf(IOException.class);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void manyPartsFromManyThreadsInShuffledOrderAssembleTheFile() throws Exception {
        int partSize = 64 * 1024;
        byte[] file = new byte[97 * partSize + 1234];
        new Random(7).nextBytes(file);
        PartLayout layout = new PartLayout(file.length, partSize);
        List<Integer> order = new ArrayList<>();
        for (int n = 1; n <= layout.partCount(); n++) {
            order.add(n);
        }
        Collections.shuffle(order, new Random(11));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Long>> sent = new ArrayList<>();
            for (int n : order) {
                sent.add(pool.submit(() -> store.stagePart("big", "u1", n, layout, new ByteArrayInputStream(file,
                        (int) layout.offsetOf(n), (int) layout.sizeOf(n)))));
            }
            for (Future<Long> f : sent) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        store.commitParts("big", "u1", order.stream().sorted().toList());

        try (InputStream in = store.get("big").orElseThrow()) {
            assertThat(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()))
                    .isEqualTo(MessageDigest.getInstance("SHA-256").digest(file));
        }
    }

    @Test
    void anAbortMovesTheAssemblyAway() throws Exception {
        stageAll("u1");

        store.abortParts("k", "u1");
        store.awaitTrashEmptied();

        assertThat(Files.exists(root.resolve("parts/u1"))).isFalse();
        assertThat(list(root.resolve("trash"))).isEmpty();
    }

    private void stageAll(String uploadId) {
        store.stagePart("k", uploadId, 3, TEN_IN_FOURS, bytes("89"));
        store.stagePart("k", uploadId, 1, TEN_IN_FOURS, bytes("0123"));
        store.stagePart("k", uploadId, 2, TEN_IN_FOURS, bytes("4567"));
    }

    private Path assemblyOf(String uploadId) throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("parts").resolve(uploadId))) {
            return files.filter(p -> p.getFileName().toString().endsWith(InPlaceParts.ASSEMBLY_SUFFIX)).findFirst()
                    .orElseThrow();
        }
    }

    private static Object fileKey(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    private String read(String key) {
        try (InputStream in = store.get(key).orElseThrow()) {
            return new String(in.readAllBytes(), UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(UTF_8));
    }

    /** Serves {@code head}, signals, waits to be released, then fails: a client that stalls and drops. */
    private static final class StallingStream extends InputStream {
        private final byte[] head;
        private final CountDownLatch served;
        private final CountDownLatch release;
        private final IOException failure;
        private int position;

        StallingStream(String head, CountDownLatch served, CountDownLatch release, IOException failure) {
            this.head = head.getBytes(UTF_8);
            this.served = served;
            this.release = release;
            this.failure = failure;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position < head.length) {
                int n = Math.min(len, head.length - position);
                System.arraycopy(head, position, b, off, n);
                position += n;
                return n;
            }
            served.countDown();
            try {
                if (!release.await(30, TimeUnit.SECONDS)) {
                    throw new IOException("never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            throw failure;
        }
    }
}
