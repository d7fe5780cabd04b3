package dev.aar.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.core.error.BlobIntegrityException;
import dev.aar.core.error.BlobIntegrityException.Reason;
import dev.aar.core.error.ConfigException;
import dev.aar.core.config.StoragePolicy;
import dev.aar.storage.BlobInfo;
import dev.aar.storage.BlobStore;
import dev.aar.storage.ForwardingBlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyBlobStoreTest {

    static final int SEG = 1024;
    static final byte[] KEY = key(1);
    static final byte[] OTHER_KEY = key(2);

    @TempDir
    Path dir;
    FileSystemBlobStore fs;

    @BeforeEach
    void open() {
        fs = FileSystemBlobStore.open(dir.resolve("store"));
    }

    @AfterEach
    void close() {
        fs.close();
    }

    PolicyBlobStore sealed(byte[] key, boolean compress) {
        PolicyBlobStore.Builder b = PolicyBlobStore.builder(fs).compression(compress).segmentSize(SEG);
        return key == null ? b.build() : b.encryptionKey(key).build();
    }

    // ---- round trips ----------------------------------------------------------------------------

    @ParameterizedTest(name = "encrypt={0} compress={1}")
    @CsvSource({"true,true", "true,false", "false,true"})
    void everySizeRoundTrips(boolean encrypt, boolean compress) {
        PolicyBlobStore store = sealed(encrypt ? KEY : null, compress);
        for (int size : new int[] {0, 1, SEG - 1, SEG, SEG + 1, 3 * SEG + 17}) {
            for (byte[] data : List.of(random(size, size), text(size))) {
                assertThat(store.put("k/" + size, new ByteArrayInputStream(data))).isEqualTo(size);
                assertThat(read(store, "k/" + size)).isEqualTo(data);
            }
        }
    }

    @Test
    void encryptedBlobsHideThePlaintextAndCompressionShrinksThem() {
        byte[] data = text(20 * SEG);
        sealed(KEY, true).put("compressed", new ByteArrayInputStream(data));
        sealed(KEY, false).put("uncompressed", new ByteArrayInputStream(data));
        byte[] compressed = raw("compressed");
        byte[] uncompressed = raw("uncompressed");
        assertThat(new String(uncompressed, StandardCharsets.ISO_8859_1)).doesNotContain("lorem ipsum");
        assertThat(compressed.length).isLessThan(data.length / 4);
        assertThat(uncompressed.length).isGreaterThan(data.length);
        // header, Tink's 40-byte header, then a 16-byte tag and a 4-byte record length per segment
        assertThat(uncompressed.length - data.length).isLessThan(200 + 21 * 21);
    }

    @Test
    void incompressibleDataIsStoredRawWithOnlyFramingOverhead() {
        byte[] data = random(64 * SEG, 3);
        sealed(KEY, true).put("random", new ByteArrayInputStream(data));
        long stored = fs.stat("random").orElseThrow().size();
        assertThat(stored).isBetween((long) data.length, data.length + 200L + 64 * 21L);
        assertThat(read(sealed(KEY, true), "random")).isEqualTo(data);
    }

    @Test
    void largeBlobsStreamThroughInBothDirections() throws IOException {
        PolicyBlobStore store = PolicyBlobStore.builder(fs).encryptionKey(KEY).build();
        long size = 8L * 1024 * 1024 + 5;
        store.put("big", new PatternStream(size));
        try (InputStream in = store.get("big").orElseThrow(); InputStream expected = new PatternStream(size)) {
            byte[] a = new byte[65536];
            byte[] b = new byte[65536];
            long total = 0;
            int n;
            while ((n = in.readNBytes(a, 0, a.length)) > 0) {
                assertThat(expected.readNBytes(b, 0, n)).isEqualTo(n);
                assertThat(Arrays.equals(a, 0, n, b, 0, n)).isTrue();
                total += n;
            }
            assertThat(total).isEqualTo(size);
        }
    }

    // ---- keys -----------------------------------------------------------------------------------

    @Test
    void aWrongKeyIsATypedErrorNotGarbage() {
        sealed(KEY, true).put("k", new ByteArrayInputStream(text(3000)));
        assertIntegrity(() -> read(sealed(OTHER_KEY, true), "k"), Reason.WRONG_KEY);
        assertIntegrity(() -> read(sealed(null, true), "k"), Reason.KEY_MISSING);
    }

    @Test
    void aPlainBlobIsRefusedWhenEncryptionIsOnAndPassedThroughWhenOnlyCompressing() {
        byte[] data = text(100);
        fs.put("legacy", new ByteArrayInputStream(data));
        assertIntegrity(() -> read(sealed(KEY, true), "legacy"), Reason.NOT_ENCRYPTED);
        assertThat(read(sealed(null, true), "legacy")).isEqualTo(data);
        sealed(null, true).put("framed", new ByteArrayInputStream(data));
        assertIntegrity(() -> read(sealed(KEY, true), "framed"), Reason.NOT_ENCRYPTED);
    }

    @Test
    void aBlobIsBoundToItsKey() throws IOException {
        sealed(KEY, true).put("a", new ByteArrayInputStream(text(100)));
        Files.copy(fs.root().resolve("blobs/a.blob"), fs.root().resolve("blobs/b.blob"));
        assertIntegrity(() -> read(sealed(KEY, true), "b"), Reason.TAMPERED);
    }

    @Test
    void wrapAppliesThePolicy() {
        String key = Base64.getEncoder().encodeToString(KEY);
        StoragePolicy off = StoragePolicy.builder().encryptionEnabled(false).compressionEnabled(false).build();
        assertThat(PolicyBlobStore.wrap(fs, off)).isSameAs(fs);
        StoragePolicy noKey = StoragePolicy.builder().encryptionEnabled(true).build();
        assertThatThrownBy(() -> PolicyBlobStore.wrap(fs, noKey)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("AAR_STORAGE_KEY");
        BlobStore on = PolicyBlobStore.wrap(fs, StoragePolicy.builder().encryptionKey(key).build());
        on.put("k", new ByteArrayInputStream(text(10)));
        assertThat(read(sealed(KEY, false), "k")).isEqualTo(text(10));
        assertThat(on.toString()).doesNotContain(key);
    }

    // ---- tampering ------------------------------------------------------------------------------

    @Test
    void changingAnySingleByteIsDetected() throws IOException {
        byte[] data = text(3 * SEG + 100);
        PolicyBlobStore store = sealed(KEY, true);
        store.put("k", new ByteArrayInputStream(data));
        byte[] original = raw("k");
        Path file = fs.root().resolve("blobs/k.blob");
        for (int i = 0; i < original.length; i++) {
            byte[] changed = original.clone();
            changed[i] ^= 0x40;
            Files.write(file, changed);
            int at = i;
            assertThatThrownBy(() -> read(store, "k")).as("byte %d changed", at).isInstanceOf(BlobIntegrityException.class);
        }
    }

    @Test
    void aTruncatedBlobIsDetectedAtAnyLength() throws IOException {
        byte[] data = random(3 * SEG + 100, 4);
        PolicyBlobStore store = sealed(KEY, false);
        store.put("k", new ByteArrayInputStream(data));
        byte[] original = raw("k");
        Path file = fs.root().resolve("blobs/k.blob");
        // every length through the header and first record, then a sample of the rest
        for (int length = 0; length < original.length; length += length < 1200 ? 1 : 7) {
            Files.write(file, Arrays.copyOf(original, length));
            int at = length;
            assertThatThrownBy(() -> read(store, "k")).as("cut at %d", at).isInstanceOf(BlobIntegrityException.class);
        }
        // cut exactly after a whole record, and just before the terminator: the stream simply ends early
        List<Integer> ends = recordEnds(original);
        assertThat(ends).hasSizeGreaterThan(3);
        for (int end : List.of(ends.get(1), ends.get(ends.size() - 2))) {
            Files.write(file, Arrays.copyOf(original, end));
            assertIntegrity(() -> read(store, "k"), Reason.TRUNCATED);
        }
    }

    @Test
    void swappedSegmentsAreDetected() throws IOException {
        byte[] data = random(4 * SEG, 5);
        PolicyBlobStore store = sealed(KEY, false);
        store.put("k", new ByteArrayInputStream(data));
        byte[] original = raw("k");
        List<Integer> ends = recordEnds(original);
        int record = 4 + SEG; // each full record holds one whole Tink segment
        assertThat(ends.get(2) - ends.get(1)).isEqualTo(record);
        assertThat(ends.get(3) - ends.get(2)).isEqualTo(record);
        byte[] swapped = original.clone();
        System.arraycopy(original, ends.get(1), swapped, ends.get(2), record);
        System.arraycopy(original, ends.get(2), swapped, ends.get(1), record);
        Files.write(fs.root().resolve("blobs/k.blob"), swapped);
        assertIntegrity(() -> read(store, "k"), Reason.TAMPERED);
    }

    @Test
    void noByteOfATamperedSegmentIsReleased() throws IOException {
        byte[] data = random(4 * SEG, 7);
        PolicyBlobStore store = sealed(KEY, false);
        store.put("k", new ByteArrayInputStream(data));
        byte[] changed = raw("k");
        List<Integer> ends = recordEnds(changed);
        changed[ends.get(1) + 10] ^= 1; // inside the third segment
        Files.write(fs.root().resolve("blobs/k.blob"), changed);
        java.io.ByteArrayOutputStream released = new java.io.ByteArrayOutputStream();
        assertThatThrownBy(() -> {
            try (InputStream in = store.get("k").orElseThrow()) {
                byte[] buf = new byte[100];
                int n;
                while ((n = in.read(buf)) > 0) {
                    released.write(buf, 0, n);
                }
            }
        }).isInstanceOfSatisfying(BlobIntegrityException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TAMPERED));
        // Tink's first segment holds SEG - 40 (its header) - 16 (tag) plaintext bytes, the others SEG - 16
        int twoSegments = (SEG - 56) + (SEG - 16);
        assertThat(released.size()).isLessThanOrEqualTo(twoSegments);
        assertThat(released.toByteArray()).isEqualTo(Arrays.copyOf(data, released.size()));
    }

    @Test
    void thePayloadIsAPlainTinkStreamingCiphertext() throws Exception {
        byte[] data = text(5 * SEG);
        PolicyBlobStore.builder(fs).encryptionKey(KEY).segmentSize(1 << 20).build().put("k", new ByteArrayInputStream(data));
        byte[] stored = raw("k");
        int header = 25; // fixed header, no upload id
        assertThat(stored[4]).as("format version").isEqualTo((byte) 2);
        assertThat(stored[6]).as("flags: encrypted and deflated").isEqualTo((byte) 3);
        java.io.ByteArrayOutputStream ciphertext = new java.io.ByteArrayOutputStream();
        int at = header;
        for (int end : recordEnds(stored)) {
            ciphertext.write(stored, at + 4, end - at - 4);
            at = end;
        }
        // an independent Tink keyset from the same 32 bytes and the AES256_GCM_HKDF_1MB template opens it
        com.google.crypto.tink.streamingaead.StreamingAeadConfig.register();
        com.google.crypto.tink.StreamingAead tink = com.google.crypto.tink.KeysetHandle.newBuilder()
                .addEntry(com.google.crypto.tink.KeysetHandle.importKey(
                        com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingKey.create(
                                com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB,
                                com.google.crypto.tink.util.SecretBytes.copyFrom(KEY,
                                        com.google.crypto.tink.InsecureSecretKeyAccess.get())))
                        .withRandomId().makePrimary())
                .build().getPrimitive(com.google.crypto.tink.RegistryConfiguration.get(), com.google.crypto.tink.StreamingAead.class);
        byte[] associated = concat(List.of(Arrays.copyOf(stored, header), "k".getBytes(StandardCharsets.UTF_8)));
        try (InputStream in = new java.util.zip.InflaterInputStream(
                tink.newDecryptingStream(new ByteArrayInputStream(ciphertext.toByteArray()), associated))) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void theKeyFileOpensTheSameBlobsAfterARestart() throws IOException {
        StoragePolicy policy = StoragePolicy.builder().encryptionEnabled(true).build();
        BlobStore first = PolicyBlobStore.wrap(fs, StorageKeyFile.resolve(policy, dir).policy());
        first.put("k", new ByteArrayInputStream(text(3 * SEG)));
        BlobStore afterRestart = PolicyBlobStore.wrap(fs, StorageKeyFile.resolve(policy, dir).policy());
        assertThat(read(afterRestart, "k")).isEqualTo(text(3 * SEG));
        Files.delete(dir.resolve(StorageKeyFile.FILE_NAME));
        BlobStore newKey = PolicyBlobStore.wrap(fs, StorageKeyFile.resolve(policy, dir).policy());
        assertIntegrity(() -> read(newKey, "k"), Reason.WRONG_KEY);
    }

    @Test
    void blobsOfThePre10FormatAreRefusedWithATypedError() throws IOException {
        // the first bytes of a version-1 sealed blob: magic, version 1, type single, flags encrypted, …
        byte[] legacy = new byte[200];
        System.arraycopy(new byte[] {'A', 'A', 'R', 'B', 1, 1, 1}, 0, legacy, 0, 7);
        fs.put("old", new ByteArrayInputStream(legacy));
        assertThatThrownBy(() -> read(sealed(KEY, true), "old")).isInstanceOfSatisfying(BlobIntegrityException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_FORMAT);
            assertThat(e.getMessage()).contains("pre-1.0");
        });
    }

    @Test
    void aHeaderClaimingAHugeSegmentIsRefusedBeforeAnyAllocation() throws IOException {
        sealed(null, false).put("k", new ByteArrayInputStream(text(100)));
        byte[] stored = raw("k");
        java.nio.ByteBuffer.wrap(stored).putInt(19, Integer.MAX_VALUE); // segmentSize
        Files.write(fs.root().resolve("blobs/k.blob"), stored);
        assertIntegrity(() -> read(sealed(null, false), "k"), Reason.UNSUPPORTED_FORMAT);
    }

    @Test
    void aDataCorruptionIsCaughtByTheChecksumWithoutEncryption() throws IOException {
        byte[] data = random(2 * SEG, 6);
        PolicyBlobStore store = sealed(null, true);
        store.put("k", new ByteArrayInputStream(data));
        byte[] changed = raw("k");
        changed[changed.length - 10] ^= 1;
        Files.write(fs.root().resolve("blobs/k.blob"), changed);
        assertIntegrity(() -> read(store, "k"), Reason.TAMPERED);
    }

    // ---- multipart ------------------------------------------------------------------------------

    @ParameterizedTest(name = "encrypt={0} compress={1}")
    @CsvSource({"true,true", "true,false", "false,true"})
    void sealedPartsCommitToAReadableBlob(boolean encrypt, boolean compress) {
        PolicyBlobStore store = sealed(encrypt ? KEY : null, compress);
        List<byte[]> parts = stageThree(store, "up1");
        BlobInfo info = store.commitParts("file", "up1", List.of(1, 2, 3));
        assertThat(info.key()).isEqualTo("file");
        assertThat(read(store, "file")).isEqualTo(concat(parts));
        assertThat(Files.exists(fs.root().resolve("parts/up1"))).isFalse();
    }

    @Test
    void partsReorderedByTheBackendAreDetected() {
        assertPartsRejected(order -> List.of(order.get(0), order.get(2), order.get(1), order.get(3)), Reason.REORDERED);
    }

    @Test
    void aRepeatedPartIsDetected() {
        assertPartsRejected(order -> List.of(order.get(0), order.get(1), order.get(1), order.get(3)), Reason.REORDERED);
    }

    @Test
    void aMissingLastPartIsDetected() {
        assertPartsRejected(order -> order.subList(0, 3), Reason.TRUNCATED);
    }

    @Test
    void aBlobWithoutItsManifestIsDetected() {
        assertPartsRejected(order -> order.subList(1, 4), Reason.TAMPERED);
    }

    @Test
    void aPartFromAnotherUploadIsDetected() throws IOException {
        PolicyBlobStore store = sealed(KEY, false);
        stageThree(store, "up1");
        stageThree(store, "up2");
        Files.copy(fs.root().resolve("parts/up2/2.part"), fs.root().resolve("parts/up1/2.part"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        store.commitParts("file", "up1", List.of(1, 2, 3));
        assertIntegrity(() -> read(store, "file"), Reason.REORDERED);
    }

    @Test
    void theManifestPartNumberIsReserved() {
        PolicyBlobStore store = sealed(KEY, false);
        assertThatThrownBy(() -> store.stagePart("f", "u", PolicyBlobStore.MANIFEST_PART, new ByteArrayInputStream(new byte[1])))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailingSourceLeavesNothingBehind() {
        PolicyBlobStore store = sealed(KEY, true);
        InputStream failing = new InputStream() {
            int left = 5000;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    throw new IOException("client went away");
                }
                left--;
                return 'a';
            }
        };
        assertThatThrownBy(() -> store.put("k", failing)).isInstanceOf(UncheckedIOException.class);
        assertThat(fs.exists("k")).isFalse();
        assertThatThrownBy(() -> store.stagePart("k", "u", 1, new ByteArrayInputStream(new byte[0]) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                throw new UncheckedIOException(new IOException("boom"));
            }
        })).isInstanceOf(UncheckedIOException.class);
        assertThat(Files.exists(fs.root().resolve("parts/u/1.part"))).isFalse();
    }

    // ---- helpers --------------------------------------------------------------------------------

    void assertPartsRejected(UnaryOperator<List<Integer>> rewrite, Reason reason) {
        PolicyBlobStore store = PolicyBlobStore.builder(new RewritingStore(fs, rewrite)).encryptionKey(KEY)
                .segmentSize(SEG).build();
        stageThree(store, "up1");
        store.commitParts("file", "up1", List.of(1, 2, 3));
        assertIntegrity(() -> read(store, "file"), reason);
    }

    List<byte[]> stageThree(BlobStore store, String uploadId) {
        List<byte[]> parts = new ArrayList<>();
        for (int p = 1; p <= 3; p++) {
            byte[] part = p == 2 ? text(2 * SEG + p) : random(2 * SEG + p, p);
            parts.add(part);
            assertThat(store.stagePart("file", uploadId, p, new ByteArrayInputStream(part))).isEqualTo(part.length);
        }
        return parts;
    }

    static void assertIntegrity(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(BlobIntegrityException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.code()).isEqualTo("storage." + reason.name().toLowerCase(java.util.Locale.ROOT));
        });
    }

    static byte[] read(BlobStore store, String key) {
        try (InputStream in = store.get(key).orElseThrow()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the offsets just after each record of a single sealed stream without upload id (the last is the terminator's). */
    static List<Integer> recordEnds(byte[] stored) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(stored);
        int at = 25;
        List<Integer> ends = new ArrayList<>();
        while (at + 4 <= stored.length) {
            int length = b.getInt(at);
            at += 4 + length;
            ends.add(at);
            if (length == 0) {
                break;
            }
        }
        return ends;
    }

    byte[] raw(String key) {
        return read(fs, key);
    }

    static byte[] concat(List<byte[]> parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] text(int size) {
        byte[] phrase = "lorem ipsum dolor sit amet, consectetur adipiscing elit. ".getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = phrase[i % phrase.length];
        }
        return b;
    }

    static byte[] key(int fill) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) fill);
        return k;
    }

    /** A deterministic, mildly compressible byte stream of a given length. */
    static final class PatternStream extends InputStream {
        private final long size;
        private long pos;

        PatternStream(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            return pos < size ? (int) ((pos++ * 31 / 7) & 0xff) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - pos);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) ((pos++ * 31 / 7) & 0xff);
            }
            return n;
        }
    }

    /** A backend that assembles parts in another order than asked: what an attacker or a bug might do. */
    static final class RewritingStore extends ForwardingBlobStore {
        private final BlobStore inner;
        private final UnaryOperator<List<Integer>> rewrite;

        RewritingStore(BlobStore inner, UnaryOperator<List<Integer>> rewrite) {
            super(inner);
            this.inner = inner;
            this.rewrite = rewrite;
        }

        @Override
        public BlobInfo commitParts(String key, String uploadId, List<Integer> partNumbers) {
            return inner.commitParts(key, uploadId, rewrite.apply(partNumbers));
        }
    }
}
