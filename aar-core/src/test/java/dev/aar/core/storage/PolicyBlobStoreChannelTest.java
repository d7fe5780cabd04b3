package dev.aar.core.storage;

import static dev.aar.core.storage.PolicyBlobStoreTest.KEY;
import static dev.aar.core.storage.PolicyBlobStoreTest.OTHER_KEY;
import static dev.aar.core.storage.PolicyBlobStoreTest.SEG;
import static dev.aar.core.storage.PolicyBlobStoreTest.assertIntegrity;
import static dev.aar.core.storage.PolicyBlobStoreTest.random;
import static dev.aar.core.storage.PolicyBlobStoreTest.read;
import static dev.aar.core.storage.PolicyBlobStoreTest.recordEnds;
import static dev.aar.core.storage.PolicyBlobStoreTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.core.error.BlobIntegrityException.Reason;
import dev.aar.storage.BlobStore;
import dev.aar.storage.ForwardingBlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PolicyBlobStore#openChannel}: sealed blobs read by seeking, verified segment by segment. */
class PolicyBlobStoreChannelTest {

    /** Plaintext bytes in Tink's first segment (its 40-byte header and a 16-byte tag) and in every other. */
    static final int FIRST = SEG - 56;
    static final int NEXT = SEG - 16;

    @TempDir
    Path dir;
    FileSystemBlobStore fs;
    CountingStore counting;

    @BeforeEach
    void open() {
        fs = FileSystemBlobStore.open(dir.resolve("store"));
        counting = new CountingStore(fs);
    }

    @AfterEach
    void close() {
        fs.close();
    }

    PolicyBlobStore sealed(byte[] key, boolean compress) {
        PolicyBlobStore.Builder b = PolicyBlobStore.builder(counting).compression(compress).segmentSize(SEG);
        return key == null ? b.build() : b.encryptionKey(key).build();
    }

    @Test
    void aSealedBlobIsReadAtAnyOffsetThroughRangedReadsOnly() throws IOException {
        byte[] data = random(5 * SEG + 77, 1);
        PolicyBlobStore store = sealed(KEY, false);
        store.put("k", new ByteArrayInputStream(data));

        try (SeekableByteChannel ch = store.openChannel("k").orElseThrow()) {
            assertThat(ch.size()).isEqualTo(data.length);
            for (long at : new long[] {0, FIRST - 1, FIRST, FIRST + NEXT - 1, FIRST + NEXT, 3L * SEG, data.length - 1}) {
                assertThat(readAt(ch, at, 3000)).as("at %d", at)
                        .isEqualTo(Arrays.copyOfRange(data, (int) at, (int) Math.min(data.length, at + 3000)));
            }
            ch.position(data.length);
            assertThat(ch.read(ByteBuffer.allocate(10))).isEqualTo(-1);
            ch.position(data.length + 100L);
            assertThat(ch.read(ByteBuffer.allocate(10))).isEqualTo(-1);
            assertThatThrownBy(() -> ch.position(-1)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(counting.wholeReads).hasValue(0);
        assertThat(counting.rangedReads.get()).isPositive();
    }

    @Test
    void anEmptySealedBlobIsAnEmptyChannel() throws IOException {
        PolicyBlobStore store = sealed(KEY, false);
        store.put("k", new ByteArrayInputStream(new byte[0]));
        try (SeekableByteChannel ch = store.openChannel("k").orElseThrow()) {
            assertThat(ch.size()).isZero();
            assertThat(ch.read(ByteBuffer.allocate(10))).isEqualTo(-1);
        }
    }

    @Test
    void committedPartsAreOneChannelWhetherCutAlikeOrNot() throws IOException {
        PolicyBlobStore store = sealed(KEY, false);
        for (int[] sizes : new int[][] {{3 * SEG, 3 * SEG, 3 * SEG, 1000}, {2 * SEG + 1, 5 * SEG + 3, 17}}) {
            List<byte[]> parts = new ArrayList<>();
            String upload = "u" + sizes.length;
            for (int p = 1; p <= sizes.length; p++) {
                parts.add(random(sizes[p - 1], p));
                store.stagePart("file", upload, p, new ByteArrayInputStream(parts.get(p - 1)));
            }
            List<Integer> order = new ArrayList<>();
            for (int p = 1; p <= sizes.length; p++) {
                order.add(p);
            }
            store.commitParts("file", upload, order);
            byte[] whole = PolicyBlobStoreTest.concat(parts);
            counting.wholeReads.set(0);

            try (SeekableByteChannel ch = store.openChannel("file").orElseThrow()) {
                assertThat(ch.size()).isEqualTo(whole.length);
                assertThat(readAt(ch, 0, whole.length)).isEqualTo(whole);
                long edge = sizes[0];
                assertThat(readAt(ch, edge - 5, 10)).isEqualTo(Arrays.copyOfRange(whole, (int) edge - 5, (int) edge + 5));
            }
            assertThat(counting.wholeReads).hasValue(0);
        }
    }

    @Test
    void rangedReadsOfASealedBlobUseTheChannel() throws IOException {
        byte[] data = random(4 * SEG, 2);
        PolicyBlobStore store = sealed(KEY, false);
        store.put("k", new ByteArrayInputStream(data));

        try (InputStream in = store.get("k", 2 * SEG, 100).orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, 2 * SEG, 2 * SEG + 100));
        }
        assertThat(counting.wholeReads).hasValue(0);
        assertThat(store.get("missing", 0, 1)).isEmpty();
        assertThat(store.openChannel("missing")).isEmpty();
    }

    @Test
    void aTamperedSegmentFailsTheChannelWithTheStreamsTypedError() throws IOException {
        byte[] data = random(4 * SEG, 7);
        PolicyBlobStore store = sealed(KEY, false);
        store.put("k", new ByteArrayInputStream(data));
        byte[] changed = read(fs, "k");
        List<Integer> ends = recordEnds(changed);
        changed[ends.get(1) + 10] ^= 1; // inside the third segment
        Files.write(fs.root().resolve("blobs/k.blob"), changed);

        assertIntegrity(() -> read(store, "k"), Reason.TAMPERED);
        try (SeekableByteChannel ch = store.openChannel("k").orElseThrow()) {
            assertThat(readAt(ch, 0, FIRST)).isEqualTo(Arrays.copyOf(data, FIRST)); // untouched segments still read
            assertIntegrity(() -> readAt(ch, FIRST + NEXT + 5, 10), Reason.TAMPERED);
        }
        assertIntegrity(() -> store.get("k", FIRST + NEXT, 10).orElseThrow().readAllBytes(), Reason.TAMPERED);
    }

    @Test
    void whatTheChannelCannotMapFallsBackToTheStreamAndItsErrors() throws IOException {
        // reordered parts: the stream path names the reason
        PolicyBlobStore reordering = PolicyBlobStore.builder(new PolicyBlobStoreTest.RewritingStore(fs,
                order -> List.of(order.get(0), order.get(2), order.get(1), order.get(3)))).encryptionKey(KEY)
                .segmentSize(SEG).build();
        for (int p = 1; p <= 3; p++) {
            reordering.stagePart("file", "u", p, new ByteArrayInputStream(random(2 * SEG, p)));
        }
        reordering.commitParts("file", "u", List.of(1, 2, 3));
        assertThat(reordering.openChannel("file")).isEmpty();
        assertIntegrity(() -> reordering.get("file", 0, 10).orElseThrow().readAllBytes(), Reason.REORDERED);

        // another key
        sealed(KEY, false).put("k", new ByteArrayInputStream(random(100, 3)));
        PolicyBlobStore other = sealed(OTHER_KEY, false);
        assertThat(other.openChannel("k")).isEmpty();
        assertIntegrity(() -> other.get("k", 0, 10).orElseThrow().readAllBytes(), Reason.WRONG_KEY);

        // cut after a whole record
        sealed(KEY, false).put("long", new ByteArrayInputStream(random(4 * SEG, 4)));
        byte[] longStored = read(fs, "long");
        Files.write(fs.root().resolve("blobs/long.blob"), Arrays.copyOf(longStored, recordEnds(longStored).get(1)));
        PolicyBlobStore store = sealed(KEY, false);
        assertThatThrownBy(() -> store.get("long", 0, Long.MAX_VALUE).orElseThrow().readAllBytes())
                .isInstanceOf(dev.aar.core.error.BlobIntegrityException.class);
    }

    @Test
    void compressedOrUnencryptedFramedBlobsAreNotSeekableButPlainOnesAre() throws IOException {
        sealed(KEY, true).put("deflated", new ByteArrayInputStream(text(3 * SEG)));
        assertThat(sealed(KEY, true).openChannel("deflated")).isEmpty();
        assertThat(sealed(KEY, true).get("deflated", SEG, 10).orElseThrow().readAllBytes())
                .isEqualTo(Arrays.copyOfRange(text(3 * SEG), SEG, SEG + 10));

        sealed(null, true).put("framed", new ByteArrayInputStream(random(SEG, 5)));
        assertThat(sealed(null, true).openChannel("framed")).isEmpty();

        fs.put("plain", new ByteArrayInputStream(random(3 * SEG, 6)));
        try (SeekableByteChannel ch = sealed(null, true).openChannel("plain").orElseThrow()) {
            assertThat(readAt(ch, SEG, 10)).isEqualTo(Arrays.copyOfRange(random(3 * SEG, 6), SEG, SEG + 10));
        }
    }

    @Test
    void theSegmentSizeIsTheHeadersNotTheReaders() throws IOException {
        byte[] data = random(6 * SEG, 8);
        sealed(KEY, false).put("k", new ByteArrayInputStream(data)); // 1 KiB segments
        PolicyBlobStore reader = PolicyBlobStore.builder(counting).compression(false).encryptionKey(KEY).build();
        try (SeekableByteChannel ch = reader.openChannel("k").orElseThrow()) {
            assertThat(readAt(ch, 0, data.length)).isEqualTo(data);
        }
    }

    static byte[] readAt(SeekableByteChannel ch, long at, int length) throws IOException {
        ch.position(at);
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining() && ch.read(b) > 0) {
            // fill
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    /** Counts whole-blob reads and ranged reads. */
    static final class CountingStore extends ForwardingBlobStore {
        final AtomicInteger wholeReads = new AtomicInteger();
        final AtomicInteger rangedReads = new AtomicInteger();

        CountingStore(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public Optional<InputStream> get(String key) {
            wholeReads.incrementAndGet();
            return super.get(key);
        }

        @Override
        public Optional<InputStream> get(String key, long offset, long length) {
            rangedReads.incrementAndGet();
            return super.get(key, offset, length);
        }
    }
}
