package dev.aar.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link BlobStore} promises; a backend's test extends this and supplies a fresh,
 * empty store per test.
 */
public abstract class BlobStoreContract {

    /** Returns a new, empty store; it is closed after each test. */
    protected abstract BlobStore createStore() throws Exception;

    protected BlobStore store;

    /**
     * Returns whether sizes ({@code put}'s and {@code stagePart}'s results, {@link BlobInfo#size()}) are the
     * bytes given. A decorator that stores them transformed (sealed, compressed) returns false: then the
     * sizes must only be present and not negative, and the bytes read back are checked as for every store.
     */
    protected boolean reportsSizesAsGiven() {
        return true;
    }

    /** Asserts a reported size: exactly {@code given} bytes, or any size for a store that transforms them. */
    protected void assertSize(long reported, long given) {
        if (reportsSizesAsGiven()) {
            assertThat(reported).isEqualTo(given);
        } else {
            assertThat(reported).isNotNegative();
        }
    }

    @BeforeEach
    void openStore() throws Exception {
        store = createStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    // ---- put / get / stat / exists / delete ----

    @Test
    void putThenGetReturnsTheSameBytes() {
        long stored = store.put("projects/p1/archive.zip", bytes("hello blob"));

        assertSize(stored, 10);
        assertThat(read("projects/p1/archive.zip")).isEqualTo("hello blob");
    }

    @Test
    void anEmptyBlobIsABlob() {
        assertSize(store.put("empty", bytes("")), 0);

        assertThat(store.exists("empty")).isTrue();
        assertThat(read("empty")).isEmpty();
        assertSize(store.stat("empty").orElseThrow().size(), 0);
    }

    @Test
    void putReplacesTheWholePreviousBlob() {
        store.put("k", bytes("a much longer first value"));
        store.put("k", bytes("short"));

        assertThat(read("k")).isEqualTo("short");
        assertSize(store.stat("k").orElseThrow().size(), 5);
    }

    @Test
    void aMissingBlobIsEmptyEverywhere() {
        assertThat(store.get("missing")).isEmpty();
        assertThat(store.stat("missing")).isEmpty();
        assertThat(store.exists("missing")).isFalse();
        assertThat(store.delete("missing")).isFalse();
    }

    @Test
    void statGivesKeySizeAndModificationTime() {
        Instant before = Instant.now().minusSeconds(3600);
        store.put("dir/file.bin", bytes("12345"));

        BlobInfo info = store.stat("dir/file.bin").orElseThrow();

        assertThat(info.key()).isEqualTo("dir/file.bin");
        assertSize(info.size(), 5);
        assertThat(info.lastModified()).isAfter(before);
        assertThat(store.exists("dir/file.bin")).isTrue();
    }

    @Test
    void deleteRemovesTheBlobOnce() {
        store.put("a/b", bytes("x"));

        assertThat(store.delete("a/b")).isTrue();
        assertThat(store.delete("a/b")).isFalse();
        assertThat(store.get("a/b")).isEmpty();
        assertThat(store.list("")).isEmpty();
    }

    @Test
    void aKeyAndAKeyUnderItCoexist() {
        store.put("a", bytes("parent"));
        store.put("a/b", bytes("child"));

        assertThat(read("a")).isEqualTo("parent");
        assertThat(read("a/b")).isEqualTo("child");
        assertThat(store.delete("a")).isTrue();
        assertThat(read("a/b")).isEqualTo("child");
    }

    @Test
    void keysThatLookLikeStorageSuffixesAreOrdinaryKeys() {
        List<String> keys = List.of("a", "a.blob", "a.blob/b", "a.d", "a.d/c", "a/b", "a/b.part", "tmp", "tmp/x");
        for (String key : keys) {
            store.put(key, bytes("value of " + key));
        }

        for (String key : keys) {
            assertThat(read(key)).isEqualTo("value of " + key);
        }
        assertThat(keys(store.list(""))).containsExactlyElementsOf(keys);
    }

    // ---- list ----

    @Test
    void listReturnsTheKeysWithThePrefixSorted() {
        for (String key : List.of("b/2", "a/2", "ab", "a/10", "a/1", "a")) {
            store.put(key, bytes(key));
        }

        assertThat(keys(store.list("a/"))).containsExactly("a/1", "a/10", "a/2");
        assertThat(keys(store.list("a"))).containsExactly("a", "a/1", "a/10", "a/2", "ab");
        assertThat(keys(store.list(""))).containsExactly("a", "a/1", "a/10", "a/2", "ab", "b/2");
        assertThat(store.list("zzz")).isEmpty();
        List<BlobInfo> listed = store.list("a/1");
        assertThat(listed).hasSize(2);
        assertSize(listed.get(0).size(), 3);
        assertSize(listed.get(1).size(), 4);
    }

    @Test
    void listWorksAtAnyDepthAndAPrefixNoKeyCanHaveMatchesNothing() {
        for (String key : List.of("projects/p1/reports/r1.json", "projects/p1/reports/r2.json",
                "projects/p1/archive.zip", "projects/p10/archive.zip", "projects/p2/archive.zip")) {
            store.put(key, bytes(key));
        }

        assertThat(keys(store.list("projects/p1/"))).containsExactly(
                "projects/p1/archive.zip", "projects/p1/reports/r1.json", "projects/p1/reports/r2.json");
        assertThat(keys(store.list("projects/p1/reports/r"))).containsExactly(
                "projects/p1/reports/r1.json", "projects/p1/reports/r2.json");
        assertThat(keys(store.list("projects/p1"))).containsExactly("projects/p1/archive.zip",
                "projects/p1/reports/r1.json", "projects/p1/reports/r2.json", "projects/p10/archive.zip");
        assertThat(store.list("projects/p3/")).isEmpty();
        assertThat(store.list("../")).isEmpty();
        assertThat(store.list("projects//")).isEmpty();
        assertThat(store.list("/projects")).isEmpty();
    }

    @Test
    void stagedPartsAreNotListed() {
        store.stagePart("k", "u1", 1, bytes("part"));

        assertThat(store.list("")).isEmpty();
        assertThat(store.exists("k")).isFalse();
    }

    // ---- key validation ----

    @ParameterizedTest
    @ValueSource(strings = {"", "/abs", "../escape", "a/../../escape", "a/..", "..", ".", "a/./b", "a//b", "a/",
        "a\\b", "..\\escape", "C:/x", "a b", "a\u0000b", "ü", "a/b?c", "%2e%2e/x"})
    void hostileOrMalformedKeysAreRejectedEverywhere(String key) {
        assertThatThrownBy(() -> store.put(key, bytes("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.get(key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.stat(key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.delete(key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.stagePart(key, "u1", 1, bytes("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.commitParts(key, "u1", List.of(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.stagePart("ok", key, 1, bytes("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.list("")).isEmpty();
    }

    @Test
    void anUploadIdIsOneSegment() {
        assertThatThrownBy(() -> store.stagePart("k", "a/b", 1, bytes("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.abortParts("k", "../u")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aKeyOfTheMaximumLengthWorksAndOneLongerDoesNot() {
        String longest = ("abcdefghi/").repeat(BlobKey.MAX_LENGTH / 10) + "x".repeat(BlobKey.MAX_LENGTH % 10);
        assertThat(longest).hasSize(BlobKey.MAX_LENGTH);

        store.put(longest, bytes("deep"));

        assertThat(read(longest)).isEqualTo("deep");
        assertThatThrownBy(() -> store.put(longest + "y", bytes("x"))).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- failing streams ----

    @Test
    void aStreamThatFailsMidwayLeavesThePreviousBlobUntouched() {
        store.put("k", bytes("previous"));
        IOException boom = new IOException("client went away");

        Throwable thrown = catchThrowable(() -> store.put("k", failingAfter(300_000, boom)));

        assertThat(thrown).isNotNull();
        assertThat(causes(thrown)).contains(boom);
        assertThat(read("k")).isEqualTo("previous");
        assertThat(keys(store.list(""))).containsExactly("k");
        assertSize(store.stat("k").orElseThrow().size(), 8);
    }

    @Test
    void aStreamThatFailsMidwayCreatesNothing() {
        RuntimeException boom = new IllegalStateException("checksum mismatch");

        Throwable thrown = catchThrowable(() -> store.put("new", failingAfter(10, boom)));

        assertThat(causes(thrown)).contains(boom);
        assertThat(store.exists("new")).isFalse();
        assertThat(store.list("")).isEmpty();
    }

    @Test
    void aPartWhoseStreamFailsLeavesTheEarlierPartUntouched() {
        store.stagePart("k", "u1", 1, bytes("good-part"));
        IOException boom = new IOException("dropped");

        Throwable thrown = catchThrowable(() -> store.stagePart("k", "u1", 1, failingAfter(100_000, boom)));

        assertThat(causes(thrown)).contains(boom);
        store.commitParts("k", "u1", List.of(1));
        assertThat(read("k")).isEqualTo("good-part");
    }

    @Test
    void aFirstPartWhoseStreamFailsIsNotStaged() {
        catchThrowable(() -> store.stagePart("k", "u1", 1, failingAfter(5, new IOException("dropped"))));

        assertThatThrownBy(() -> store.commitParts("k", "u1", List.of(1))).isInstanceOf(RuntimeException.class);
        assertThat(store.exists("k")).isFalse();
    }

    // ---- multipart ----

    @Test
    void commitConcatenatesThePartsInTheOrderGiven() {
        assertSize(store.stagePart("up/file.zip", "u1", 1, bytes("aaa")), 3);
        store.stagePart("up/file.zip", "u1", 2, bytes("bbbb"));
        store.stagePart("up/file.zip", "u1", 3, bytes("c"));

        BlobInfo info = store.commitParts("up/file.zip", "u1", List.of(3, 1, 2));

        assertThat(info.key()).isEqualTo("up/file.zip");
        assertSize(info.size(), 8);
        assertThat(read("up/file.zip")).isEqualTo("caaabbbb");
        assertSize(store.stat("up/file.zip").orElseThrow().size(), 8);
    }

    @Test
    void partsCanArriveInAnyOrderAndBeReSent() {
        store.stagePart("k", "u1", 2, bytes("22"));
        store.stagePart("k", "u1", 1, bytes("first-try"));
        store.stagePart("k", "u1", 1, bytes("11"));

        store.commitParts("k", "u1", List.of(1, 2));

        assertThat(read("k")).isEqualTo("1122");
    }

    @Test
    void commitDiscardsTheStagedParts() {
        store.stagePart("k", "u1", 1, bytes("x"));
        store.commitParts("k", "u1", List.of(1));

        assertThatThrownBy(() -> store.commitParts("k2", "u1", List.of(1))).isInstanceOf(RuntimeException.class);
        assertThat(read("k")).isEqualTo("x");
        assertThat(store.exists("k2")).isFalse();
    }

    @Test
    void commitReplacesAnExistingBlob() {
        store.put("k", bytes("old"));
        store.stagePart("k", "u1", 1, bytes("new"));

        store.commitParts("k", "u1", List.of(1));

        assertThat(read("k")).isEqualTo("new");
    }

    @Test
    void commitWithAPartNeverStagedFailsAndChangesNothing() {
        store.put("k", bytes("old"));
        store.stagePart("k", "u1", 1, bytes("one"));

        Throwable thrown = catchThrowable(() -> store.commitParts("k", "u1", List.of(1, 2)));

        assertThat(thrown).isInstanceOf(RuntimeException.class);
        assertThat(read("k")).isEqualTo("old");
        assertThat(keys(store.list(""))).containsExactly("k");
    }

    @Test
    void concurrentUploadsDoNotShareParts() {
        // one key per upload, as the upload manager does: Azure, for one, discards a blob's other
        // uncommitted blocks when a block list is committed, so two uploads to one key are not portable
        store.stagePart("k1", "u1", 1, bytes("from-u1"));
        store.stagePart("k2", "u2", 1, bytes("from-u2"));
        store.stagePart("k2", "u2", 2, bytes("!"));

        store.commitParts("k2", "u2", List.of(1, 2));
        store.commitParts("k1", "u1", List.of(1));

        assertThat(read("k1")).isEqualTo("from-u1");
        assertThat(read("k2")).isEqualTo("from-u2!");
    }

    @Test
    void abortDiscardsThePartsAndLeavesTheBlob() {
        store.put("k", bytes("kept"));
        store.stagePart("k", "u1", 1, bytes("x"));
        store.stagePart("k", "u1", 2, bytes("y"));

        store.abortParts("k", "u1");

        assertThatThrownBy(() -> store.commitParts("k", "u1", List.of(1))).isInstanceOf(RuntimeException.class);
        assertThat(read("k")).isEqualTo("kept");
    }

    @Test
    void abortingAnUnknownUploadIsHarmless() {
        store.abortParts("k", "never-started");
        store.abortParts("k", "never-started");

        assertThat(store.list("")).isEmpty();
    }

    // ---- concurrency and size ----

    @Test
    void concurrentPutsToOneKeyEndWithOneCompleteValue() throws Exception {
        int writers = 6;
        int size = 256 * 1024;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Long>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                byte fill = (byte) ('A' + i);
                results.add(pool.submit(() -> {
                    start.await();
                    return store.put("contended", new PatternStream(size, fill));
                }));
            }
            start.countDown();
            for (Future<Long> f : results) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(size);
            }
        } finally {
            pool.shutdownNow();
        }

        byte[] value = readBytes("contended");
        assertThat(value).hasSize(size);
        byte first = value[0];
        assertThat(first).isBetween((byte) 'A', (byte) ('A' + writers - 1));
        for (byte b : value) {
            if (b != first) {
                throw new AssertionError("blob mixes writes: found " + (char) b + " among " + (char) first);
            }
        }
    }

    @Test
    void aReaderSeesTheOldValueOrTheNewNeverAMixture() throws Exception {
        int size = 512 * 1024;
        store.put("k", new PatternStream(size, (byte) 'A'));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> writer = pool.submit(() -> {
                for (int i = 0; i < 10; i++) {
                    store.put("k", new PatternStream(size, (byte) (i % 2 == 0 ? 'B' : 'A')));
                }
            });
            while (!writer.isDone()) {
                byte[] seen = readBytes("k");
                assertThat(seen).hasSize(size);
                for (byte b : seen) {
                    if (b != seen[0]) {
                        throw new AssertionError("reader saw a mixture of two writes");
                    }
                }
            }
            writer.get();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTwentyMebibyteBlobRoundTripsByStreaming() throws Exception {
        long size = 20L * 1024 * 1024 + 17;
        PatternStream source = new PatternStream(size);

        assertSize(store.put("big/archive.zip", source), size);

        assertSize(store.stat("big/archive.zip").orElseThrow().size(), size);
        try (InputStream in = store.get("big/archive.zip").orElseThrow()) {
            assertThat(digest(in)).isEqualTo(source.sha256());
        }
    }

    @Test
    void largePartsAssembleIntoTheWholeFile() throws Exception {
        long partSize = 5L * 1024 * 1024;
        PatternStream whole = new PatternStream(3 * partSize);
        byte[] expected = whole.sha256();
        for (int part = 1; part <= 3; part++) {
            store.stagePart("big", "u1", part, new PatternStream(partSize, (part - 1) * partSize, 3 * partSize));
        }

        BlobInfo info = store.commitParts("big", "u1", List.of(1, 2, 3));

        assertSize(info.size(), 3 * partSize);
        try (InputStream in = store.get("big").orElseThrow()) {
            assertThat(digest(in)).isEqualTo(expected);
        }
    }

    // ---- ranged reads ----

    /** A blob over two 256 KiB boundaries (segment edges of a sealing store), with bytes that differ at each offset. */
    private static byte[] rangeBlob() {
        byte[] b = new byte[2 * 256 * 1024 + 4321];
        new java.util.Random(20).nextBytes(b);
        return b;
    }

    private byte[] readRange(String key, long offset, long length) {
        try (InputStream in = store.get(key, offset, length).orElseThrow(() -> new AssertionError("no blob " + key))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 262_143, 262_144, 262_145, 524_287, 524_288, 528_000})
    void aRangedReadReturnsExactlyTheBytesAtItsOffset(long offset) {
        byte[] blob = rangeBlob();
        store.put("ranged/blob", new ByteArrayInputStream(blob));

        for (int length : new int[] {0, 1, 100, 300_000}) {
            int end = (int) Math.min(blob.length, offset + length);
            assertThat(readRange("ranged/blob", offset, length))
                    .as("offset %d, length %d", offset, length)
                    .isEqualTo(java.util.Arrays.copyOfRange(blob, (int) offset, end));
        }
    }

    @Test
    void aRangedReadStopsAtTheLastByteAndReadsNothingPastTheEnd() {
        byte[] blob = rangeBlob();
        store.put("ranged/blob", new ByteArrayInputStream(blob));

        assertThat(readRange("ranged/blob", blob.length - 1, 10)).containsExactly(blob[blob.length - 1]);
        assertThat(readRange("ranged/blob", 0, Long.MAX_VALUE)).isEqualTo(blob);
        assertThat(readRange("ranged/blob", blob.length, 10)).isEmpty();
        assertThat(readRange("ranged/blob", blob.length + 1000L, 10)).isEmpty();
        assertThat(readRange("ranged/blob", Long.MAX_VALUE / 2, 10)).isEmpty();
    }

    @Test
    void aRangedReadOfAnEmptyOrMissingBlob() {
        store.put("ranged/empty", bytes(""));

        assertThat(readRange("ranged/empty", 0, 10)).isEmpty();
        assertThat(store.get("ranged/missing", 0, 10)).isEmpty();
    }

    @Test
    void aNegativeOffsetOrLengthIsRefused() {
        store.put("ranged/blob", bytes("0123456789"));

        assertThatThrownBy(() -> store.get("ranged/blob", -1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.get("ranged/blob", 0, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRangedReadCrossesTheBoundariesOfCommittedParts() {
        byte[] blob = rangeBlob();
        int[] cuts = {0, 200_000, 400_000, blob.length};
        for (int part = 1; part <= 3; part++) {
            store.stagePart("ranged/parts", "u1", part,
                    new ByteArrayInputStream(java.util.Arrays.copyOfRange(blob, cuts[part - 1], cuts[part])));
        }
        store.commitParts("ranged/parts", "u1", List.of(1, 2, 3));

        for (long offset : new long[] {0, 199_990, 200_000, 399_999, 262_144, blob.length - 3}) {
            int end = (int) Math.min(blob.length, offset + 250_000);
            assertThat(readRange("ranged/parts", offset, 250_000)).as("offset %d", offset)
                    .isEqualTo(java.util.Arrays.copyOfRange(blob, (int) offset, end));
        }
    }

    // ---- multipart with a layout (parts a store may write at their offsets) ----

    private static final PartLayout TEN_IN_FOURS = new PartLayout(10, 4);

    @Test
    void layoutPartsInAnyOrderCommitToTheWholeFile() {
        assertSize(store.stagePart("up/f", "u1", 3, TEN_IN_FOURS, bytes("89")), 2);
        store.stagePart("up/f", "u1", 1, TEN_IN_FOURS, bytes("0123"));
        store.stagePart("up/f", "u1", 2, TEN_IN_FOURS, bytes("4567"));

        BlobInfo info = store.commitParts("up/f", "u1", List.of(1, 2, 3));

        assertSize(info.size(), 10);
        assertThat(read("up/f")).isEqualTo("0123456789");
        assertThat(keys(store.list(""))).containsExactly("up/f");
    }

    @Test
    void aLayoutPartReSentReplacesTheEarlierOne() {
        stageTen("aaaa", "bbbb", "cc");
        store.stagePart("k", "u1", 2, TEN_IN_FOURS, bytes("BBBB"));
        store.stagePart("k", "u1", 2, TEN_IN_FOURS, bytes("2222"));

        store.commitParts("k", "u1", List.of(1, 2, 3));

        assertThat(read("k")).isEqualTo("aaaa2222cc");
    }

    @Test
    void aLayoutPartWhoseStreamFailsLeavesTheEarlierPartUntouched() {
        stageTen("good", "also", "ok");
        IOException boom = new IOException("dropped");

        Throwable thrown = catchThrowable(() -> store.stagePart("k", "u1", 2, TEN_IN_FOURS, failingAfter(3, boom)));

        assertThat(causes(thrown)).contains(boom);
        store.commitParts("k", "u1", List.of(1, 2, 3));
        assertThat(read("k")).isEqualTo("goodalsook");
    }

    @Test
    void aFirstLayoutPartWhoseStreamFailsIsNotStaged() {
        store.stagePart("k", "u1", 1, TEN_IN_FOURS, bytes("0123"));
        store.stagePart("k", "u1", 3, TEN_IN_FOURS, bytes("89"));
        catchThrowable(() -> store.stagePart("k", "u1", 2, TEN_IN_FOURS, failingAfter(2, new IOException("dropped"))));

        assertThatThrownBy(() -> store.commitParts("k", "u1", List.of(1, 2, 3))).isInstanceOf(RuntimeException.class);
        assertThat(store.exists("k")).isFalse();

        store.stagePart("k", "u1", 2, TEN_IN_FOURS, bytes("4567"));
        store.commitParts("k", "u1", List.of(1, 2, 3));
        assertThat(read("k")).isEqualTo("0123456789");
    }

    @Test
    void layoutPartsCommittedInAnotherOrderAreConcatenatedInThatOrder() {
        stageTen("0123", "4567", "89");

        store.commitParts("k", "u1", List.of(3, 1));

        assertThat(read("k")).isEqualTo("890123");
    }

    @Test
    void aLayoutCommitWithAPartMissingFailsAndChangesNothing() {
        store.put("k", bytes("old"));
        store.stagePart("k", "u1", 1, TEN_IN_FOURS, bytes("0123"));
        store.stagePart("k", "u1", 3, TEN_IN_FOURS, bytes("89"));

        assertThatThrownBy(() -> store.commitParts("k", "u1", List.of(1, 2, 3))).isInstanceOf(RuntimeException.class);

        assertThat(read("k")).isEqualTo("old");
        store.stagePart("k", "u1", 2, TEN_IN_FOURS, bytes("4567"));
        store.commitParts("k", "u1", List.of(1, 2, 3));
        assertThat(read("k")).isEqualTo("0123456789");
    }

    @Test
    void abortDiscardsLayoutParts() {
        stageTen("0123", "4567", "89");

        store.abortParts("k", "u1");

        assertThatThrownBy(() -> store.commitParts("k", "u1", List.of(1, 2, 3))).isInstanceOf(RuntimeException.class);
        assertThat(store.exists("k")).isFalse();
        assertThat(store.list("")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 4, Integer.MAX_VALUE})
    void aPartOutsideTheLayoutIsRefused(int partNumber) {
        assertThatThrownBy(() -> store.stagePart("k", "u1", partNumber, TEN_IN_FOURS, bytes("0123")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.list("")).isEmpty();
    }

    @Test
    void largeLayoutPartsAssembleIntoTheWholeFile() throws Exception {
        long partSize = 2L * 1024 * 1024 + 17;
        long total = 3 * partSize + 1000;
        PartLayout layout = new PartLayout(total, partSize);
        byte[] expected = new PatternStream(total).sha256();
        for (int part : List.of(4, 2, 1, 3)) {
            store.stagePart("big", "u1", part, layout,
                    new PatternStream(layout.sizeOf(part), layout.offsetOf(part), total));
        }

        BlobInfo info = store.commitParts("big", "u1", List.of(1, 2, 3, 4));

        assertSize(info.size(), total);
        try (InputStream in = store.get("big").orElseThrow()) {
            assertThat(digest(in)).isEqualTo(expected);
        }
    }

    /** Stages the three parts of upload u1 of key k, {@link #TEN_IN_FOURS}, in order. */
    private void stageTen(String first, String second, String third) {
        store.stagePart("k", "u1", 1, TEN_IN_FOURS, bytes(first));
        store.stagePart("k", "u1", 2, TEN_IN_FOURS, bytes(second));
        store.stagePart("k", "u1", 3, TEN_IN_FOURS, bytes(third));
    }

    // ---- helpers ----

    protected static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(UTF_8));
    }

    protected String read(String key) {
        return new String(readBytes(key), UTF_8);
    }

    protected byte[] readBytes(String key) {
        try (InputStream in = store.get(key).orElseThrow(() -> new AssertionError("no blob " + key))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> keys(List<BlobInfo> infos) {
        return infos.stream().map(BlobInfo::key).toList();
    }

    private static List<Throwable> causes(Throwable t) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable c = t; c != null && !chain.contains(c); c = c.getCause()) {
            chain.add(c);
        }
        return chain;
    }

    private static byte[] digest(InputStream in) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) != -1) {
            sha.update(buffer, 0, n);
        }
        return sha.digest();
    }

    /** A stream of {@code okBytes} bytes, then {@code failure}, as when a client disconnects mid-upload. */
    protected static InputStream failingAfter(long okBytes, Exception failure) {
        return new InputStream() {
            private long served;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (served >= okBytes) {
                    if (failure instanceof IOException io) {
                        throw io;
                    }
                    throw (RuntimeException) failure;
                }
                int n = (int) Math.min(len, okBytes - served);
                java.util.Arrays.fill(b, off, off + n, (byte) 'z');
                served += n;
                return n;
            }
        };
    }

    /** Deterministic bytes generated on the fly, so large blobs never sit in the heap. */
    protected static final class PatternStream extends InputStream {
        private final long end;
        private final long start;
        private final byte fill;
        private final boolean constant;
        private long position;

        /** {@code size} bytes of a non-repeating pattern. */
        PatternStream(long size) {
            this(size, 0, size);
        }

        /** Bytes {@code [offset, offset + size)} of the pattern stream of length {@code total}. */
        PatternStream(long size, long offset, long total) {
            this.start = offset;
            this.end = offset + size;
            this.position = offset;
            this.fill = 0;
            this.constant = false;
            if (end > total) {
                throw new IllegalArgumentException("slice beyond the end");
            }
        }

        /** {@code size} copies of {@code fill}. */
        PatternStream(long size, byte fill) {
            this.start = 0;
            this.end = size;
            this.fill = fill;
            this.constant = true;
        }

        private byte at(long i) {
            return constant ? fill : (byte) (i * 31 + (i >>> 11) * 7 + (i >>> 19));
        }

        @Override
        public int read() {
            return position >= end ? -1 : at(position++) & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= end) {
                return -1;
            }
            int n = (int) Math.min(len, end - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = at(position++);
            }
            return n;
        }

        byte[] sha256() throws Exception {
            return digest(new PatternStream(end - start, start, end));
        }
    }
}
