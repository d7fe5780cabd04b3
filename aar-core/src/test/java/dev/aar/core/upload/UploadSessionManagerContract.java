package dev.aar.core.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.core.error.QuotaExceededException;
import dev.aar.core.error.UploadSessionException;
import dev.aar.core.error.UploadSessionException.Reason;
import dev.aar.core.config.ResumableUpload;
import dev.aar.core.config.ScaleLimits;
import dev.aar.core.memory.InMemoryQuotaStore;
import dev.aar.core.memory.InMemoryUploadSessionStore;
import dev.aar.core.quota.QuotaService;
import dev.aar.core.testing.MutableClock;
import dev.aar.storage.BlobInfo;
import dev.aar.storage.BlobStore;
import dev.aar.storage.ForwardingBlobStore;
import dev.aar.storage.PartLayout;
import dev.aar.storage.UploadPart;
import dev.aar.storage.UploadSession;
import dev.aar.storage.UploadStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every fault of a resumable upload, end to end through {@link UploadSessionManager} onto a real
 * {@link BlobStore}: each backend's test extends this kit (files, files under the storage policy,
 * Azure Blob Storage, ...), as backends extend the SPI kits.
 */
public abstract class UploadSessionManagerContract {

    protected static final int PART = 4096;
    protected static final String OWNER = "key-alice";

    protected BlobStore blobs;
    CountingBlobStore counting;
    protected MutableClock clock;
    InMemoryUploadSessionStore sessions;
    QuotaService quotas;
    protected UploadSessionManager manager;

    /** Returns a new, empty store for the manager to write to; it is closed after each test. */
    protected abstract BlobStore createBlobStore() throws Exception;

    /** Returns the part numbers the backend still holds staged for the session's upload, sorted. */
    protected abstract List<Integer> stagedParts(UploadSession s);

    /** Fails if the backend kept anything of a write that failed (temporary files, ...); the default checks nothing. */
    protected void assertNoPartialWrites() {
    }

    @BeforeEach
    void setUp() throws Exception {
        blobs = createBlobStore();
        counting = new CountingBlobStore(blobs);
        clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
        sessions = new InMemoryUploadSessionStore();
        quotas = new QuotaService(new InMemoryQuotaStore(), clock);
        manager = builder().build();
    }

    protected UploadSessionManager.Builder builder() {
        return UploadSessionManager.builder().blobStore(counting).sessionStore(sessions).clock(clock).quotaService(quotas)
                .resumableUpload(ResumableUpload.builder().chunkSizeBytes(PART).sessionExpirationMinutes(60)
                        .maxPartsPerUpload(300).build())
                .scaleLimits(ScaleLimits.builder().maxUploadSizeMb(1).build());
    }

    @AfterEach
    void tearDown() {
        if (blobs != null) {
            blobs.close();
        }
    }

    // ---- success paths ------------------------------------------------------------------------

    @Test
    void partsInOrderAssembleToTheSourceFile() {
        byte[] file = random(3 * PART + 123, 1);
        UploadSession s = manager.create(OWNER, "project.zip", file.length, sha256Hex(file));
        assertThat(s.partSize()).isEqualTo(PART);
        assertThat(s.totalParts()).isEqualTo(4);
        assertThat(s.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(60)));
        for (int p = 1; p <= 4; p++) {
            put(s, p, file);
        }
        UploadSession done = manager.finalizeSession(OWNER, s.id());
        assertThat(done.status()).isEqualTo(UploadStatus.COMPLETED);
        assertStoredEquals(done, file);
        assertThat(stagedParts(s)).isEmpty();
    }

    @Test
    void partsOutOfOrderAndInParallelAssembleToTheSourceFile() throws Exception {
        byte[] file = random(40 * PART - 7, 2);
        UploadSession s = manager.create(OWNER, "big.zip", file.length, null);
        List<Integer> order = new ArrayList<>(IntStream.rangeClosed(1, 40).boxed().toList());
        Collections.shuffle(order, new Random(3));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<UploadPart>> fs = new ArrayList<>();
            for (int p : order) {
                fs.add(pool.submit(() -> put(s, p, file)));
            }
            for (Future<UploadPart> f : fs) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        UploadProgress progress = manager.status(OWNER, s.id());
        assertThat(progress.isComplete()).isTrue();
        assertThat(progress.bytesReceived()).isEqualTo(file.length);
        assertThat(progress.parts()).extracting(UploadPart::partNumber).containsExactlyElementsOf(
                IntStream.rangeClosed(1, 40).boxed().toList());
        assertStoredEquals(manager.finalizeSession(OWNER, s.id()), file);
    }

    @Test
    void aSinglePartFileSmallerThanThePartSize() {
        byte[] file = random(10, 4);
        UploadSession s = manager.create(OWNER, "tiny.zip", file.length, sha256Hex(file));
        assertThat(s.totalParts()).isEqualTo(1);
        put(s, 1, file);
        assertStoredEquals(manager.finalizeSession(OWNER, s.id()), file);
    }

    @Test
    void statusReportsReceivedAndMissingParts() {
        byte[] file = random(3 * PART, 5);
        UploadSession s = manager.create(OWNER, "a.zip", file.length, null);
        UploadPart two = put(s, 2, file);
        UploadProgress progress = manager.status(OWNER, s.id());
        assertThat(progress.status()).isEqualTo(UploadStatus.ACTIVE);
        assertThat(progress.parts()).containsExactly(two);
        assertThat(two.sha256()).isEqualTo(sha256Hex(slice(file, 2)));
        assertThat(two.size()).isEqualTo(PART);
        assertThat(progress.bytesReceived()).isEqualTo(PART);
        assertThat(progress.missingParts()).containsExactly(1, 3);
        assertThat(progress.expiresAt()).isEqualTo(s.expiresAt());
    }

    // ---- duplicates and replacements ------------------------------------------------------------

    @Test
    void anIdenticalResendIsANoOp() {
        byte[] file = random(2 * PART, 6);
        UploadSession s = manager.create(OWNER, "a.zip", file.length, sha256Hex(file));
        UploadPart first = put(s, 1, file);
        clock.advance(Duration.ofMinutes(1));
        int stagedBefore = counting.staged.get();
        UploadPart withChecksum = manager.putPart(OWNER, s.id(), 1, new ByteArrayInputStream(slice(file, 1)), PART,
                PartChecksum.sha256(sha256Hex(slice(file, 1))));
        assertThat(withChecksum).isEqualTo(first);
        assertThat(counting.staged.get()).isEqualTo(stagedBefore); // not even re-stored
        UploadPart without = put(s, 1, file);
        assertThat(without).isEqualTo(first); // re-stored, but the record is unchanged
        put(s, 2, file);
        assertStoredEquals(manager.finalizeSession(OWNER, s.id()), file);
    }

    @Test
    void aResendWithOtherBytesReplacesThePart() {
        byte[] old = random(2 * PART, 7);
        byte[] file = old.clone();
        file[PART + 5] ^= 1;
        UploadSession s = manager.create(OWNER, "a.zip", file.length, sha256Hex(file));
        put(s, 1, file);
        put(s, 2, old);
        UploadPart replaced = put(s, 2, file);
        assertThat(replaced.sha256()).isEqualTo(sha256Hex(slice(file, 2)));
        assertThat(manager.status(OWNER, s.id()).parts()).hasSize(2);
        assertStoredEquals(manager.finalizeSession(OWNER, s.id()), file);
    }

    // ---- part faults --------------------------------------------------------------------------

    @Test
    void aPartDroppedMidStreamLeavesNoVisiblePartAndCanBeResent() {
        byte[] file = random(2 * PART, 8);
        UploadSession s = manager.create(OWNER, "a.zip", file.length, sha256Hex(file));
        put(s, 1, file);
        InputStream dropping = new DroppingInputStream(slice(file, 2), 1500);
        assertThatThrownBy(() -> manager.putPart(OWNER, s.id(), 2, dropping, PART, null))
                .isInstanceOfSatisfying(UploadSessionException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.INTERRUPTED);
                    assertThat(e.code()).isEqualTo("upload.interrupted");
                });
        assertThat(manager.status(OWNER, s.id()).missingParts()).containsExactly(2);
        assertThat(stagedParts(s)).containsExactly(1);
        assertNoPartialWrites();
        put(s, 2, file);
        assertStoredEquals(manager.finalizeSession(OWNER, s.id()), file);
    }

    @Test
    void aWrongChecksumIsRefusedBeforeThePartBecomesVisible() {
        byte[] file = random(2 * PART, 9);
        UploadSession s = manager.create(OWNER, "a.zip", file.length, null);
        byte[] part1 = slice(file, 1);
        String wrongSha = sha256Hex(slice(file, 2));
        assertRefused(() -> manager.putPart(OWNER, s.id(), 1, new ByteArrayInputStream(part1), PART,
                PartChecksum.sha256(wrongSha)), Reason.CHECKSUM_MISMATCH);
        String wrongMd5 = Base64.getEncoder().encodeToString(digest("MD5", slice(file, 2)));
        assertRefused(() -> manager.putPart(OWNER, s.id(), 1, new ByteArrayInputStream(part1), PART,
                PartChecksum.md5(wrongMd5)), Reason.CHECKSUM_MISMATCH);
        assertRefused(() -> manager.putPart(OWNER, s.id(), 1, new ByteArrayInputStream(part1), PART,
                PartChecksum.crc32c(crc32cHex(slice(file, 2)))), Reason.CHECKSUM_MISMATCH);
        assertThat(stagedParts(s)).isEmpty();
        assertThat(manager.status(OWNER, s.id()).parts()).isEmpty();

        // the headers' usual encodings: Content-MD5 base64, x-checksum-sha256 hex or base64
        manager.putPart(OWNER, s.id(), 1, new ByteArrayInputStream(part1), PART,
                PartChecksum.md5(Base64.getEncoder().encodeToString(digest("MD5", part1))));
        manager.putPart(OWNER, s.id(), 2, new ByteArrayInputStream(slice(file, 2)), PART,
                PartChecksum.sha256(Base64.getEncoder().encodeToString(digest("SHA-256", slice(file, 2)))));
        // a part checked by CRC32C instead (the CLI's default) is kept with its SHA-256 like any other
        UploadPart viaCrc = manager.putPart(OWNER, s.id(), 2, new ByteArrayInputStream(slice(file, 2)), PART,
                PartChecksum.crc32c(crc32cHex(slice(file, 2))));
        assertThat(viaCrc.sha256()).isEqualTo(sha256Hex(slice(file, 2)));
        // a bad re-send does not disturb the good part already there
        assertRefused(() -> manager.putPart(OWNER, s.id(), 2, new ByteArrayInputStream(part1), PART,
                PartChecksum.sha256(sha256Hex(random(PART, 99)))), Reason.CHECKSUM_MISMATCH);
        assertStoredEquals(manager.finalizeSession(OWNER, s.id()), file);
    }

    @Test
    void aPartOfTheWrongSizeIsRefused() {
        byte[] file = random(2 * PART + 100, 10);
        UploadSession s = manager.create(OWNER, "a.zip", file.length, null);
        byte[] part1 = slice(file, 1);
        assertRefused(() -> manager.putPart(OWNER, s.id(), 1, new ByteArrayInputStream(part1, 0, PART - 1), -1, null),
                Reason.WRONG_PART_SIZE);
        byte[] longer = Arrays.copyOf(part1, PART + 1);
        assertRefused(() -> manager.putPart(OWNER, s.id(), 1, new ByteArrayInputStream(longer), -1, null),
                Reason.WRONG_PART_SIZE);
        assertRefused(() -> manager.putPart(OWNER, s.id(), 1, new ByteArrayInputStream(part1), PART + 1, null),
                Reason.WRONG_PART_SIZE);
        // the last part must be exactly the remainder
        assertRefused(() -> manager.putPart(OWNER, s.id(), 3, new ByteArrayInputStream(part1), -1, null),
                Reason.WRONG_PART_SIZE);
        assertThat(stagedParts(s)).isEmpty();
        assertNoPartialWrites();
    }

    @Test
    void aPartNumberOutOfRangeIsRefused() {
        UploadSession s = manager.create(OWNER, "a.zip", 2 * PART, null);
        assertRefused(() -> manager.putPart(OWNER, s.id(), 0, new ByteArrayInputStream(new byte[PART]), PART, null),
                Reason.PART_OUT_OF_RANGE);
        assertRefused(() -> manager.putPart(OWNER, s.id(), 3, new ByteArrayInputStream(new byte[PART]), PART, null),
                Reason.PART_OUT_OF_RANGE);
    }

    // ---- session faults -------------------------------------------------------------------------

    @Test
    void aFileOverTheSizeLimitOrThePartLimitIsRefused() {
        assertRefused(() -> manager.create(OWNER, "a.zip", 1024 * 1024 + 1, null), Reason.TOO_LARGE);
        UploadSessionManager fewParts = builder().resumableUpload(ResumableUpload.builder().chunkSizeBytes(PART)
                .maxPartsPerUpload(10).build()).build();
        assertThatThrownBy(() -> fewParts.create(OWNER, "a.zip", 10L * PART + 1, null))
                .isInstanceOfSatisfying(UploadSessionException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
                    assertThat(e.getMessage()).contains("11 parts", "MaxPartsPerUpload");
                });
        assertThat(fewParts.create(OWNER, "a.zip", 10L * PART, null).totalParts()).isEqualTo(10);
    }

    @Test
    void anExpiredSessionRefusesPartsAndFinalizeAndIsSweptWithItsParts() {
        quotas.setLimits(OWNER, 0, 0, 10 * PART);
        byte[] file = random(2 * PART, 11);
        UploadSession s = manager.create(OWNER, "a.zip", file.length, null);
        put(s, 1, file);
        clock.advance(Duration.ofMinutes(60));
        assertRefused(() -> put(s, 2, file), Reason.EXPIRED);
        assertRefused(() -> manager.finalizeSession(OWNER, s.id()), Reason.EXPIRED);
        assertThat(manager.status(OWNER, s.id()).status()).isEqualTo(UploadStatus.EXPIRED);
        assertThat(quotas.usage(OWNER).orElseThrow().storageUsedBytes()).isEqualTo(2 * PART);

        UploadSessionSweeper sweeper = new UploadSessionSweeper(manager);
        assertThat(sweeper.sweep(clock.instant())).isEqualTo(1);
        assertThat(sweeper.sweep(clock.instant())).isZero();
        assertRefused(() -> manager.status(OWNER, s.id()), Reason.NOT_FOUND);
        assertThat(stagedParts(s)).isEmpty();
        assertThat(quotas.usage(OWNER).orElseThrow().storageUsedBytes()).isZero();
    }

    @Test
    void theSweeperLeavesSessionsThatHaveNotExpired() {
        UploadSession s = manager.create(OWNER, "a.zip", PART, null);
        clock.advance(Duration.ofMinutes(59));
        assertThat(new UploadSessionSweeper(manager).sweep(clock.instant())).isZero();
        assertThat(manager.status(OWNER, s.id()).status()).isEqualTo(UploadStatus.ACTIVE);
    }

    @Test
    void closedSessionsAreForgottenOnceTheRetentionHasPassedAndTheirFilesStay() {
        byte[] file = random(2 * PART, 18);
        UploadSession completed = manager.create(OWNER, "a.zip", file.length, null);
        put(completed, 1, file);
        put(completed, 2, file);
        manager.finalizeSession(OWNER, completed.id());
        UploadSession mismatched = manager.create(OWNER, "b.zip", PART, sha256Hex(file));
        put(mismatched, 1, file);
        assertRefused(() -> manager.finalizeSession(OWNER, mismatched.id()), Reason.CHECKSUM_MISMATCH);
        UploadSession later = manager.create(OWNER, "c.zip", PART, null);
        UploadSessionSweeper sweeper = new UploadSessionSweeper(manager);
        assertThat(sweeper.closedRetention()).isEqualTo(UploadSessionSweeper.DEFAULT_CLOSED_RETENTION);

        clock.set(completed.expiresAt().plus(Duration.ofHours(24)).minusSeconds(1));
        // "later" expires meanwhile: it is swept as expired; the closed two are still kept
        assertThat(sweeper.sweep(clock.instant())).isEqualTo(1);
        assertThat(manager.status(OWNER, completed.id()).status()).isEqualTo(UploadStatus.COMPLETED);
        assertThat(sessions.find(mismatched.id()).orElseThrow().status()).isEqualTo(UploadStatus.CANCELLED);

        clock.advance(Duration.ofSeconds(1));
        assertThat(sweeper.sweep(clock.instant())).isEqualTo(2);

        assertRefused(() -> manager.status(OWNER, completed.id()), Reason.NOT_FOUND);
        assertRefused(() -> manager.finalizeSession(OWNER, mismatched.id()), Reason.NOT_FOUND);
        assertThat(sessions.find(later.id())).isEmpty();
        assertStoredEquals(completed, file); // only the record went
        assertThat(sweeper.sweep(clock.instant())).isZero();
    }

    @Test
    void theClosedRetentionIsConfigurable() {
        byte[] file = random(PART, 19);
        UploadSession s = manager.create(OWNER, "a.zip", file.length, null);
        put(s, 1, file);
        manager.finalizeSession(OWNER, s.id());
        UploadSessionSweeper sweeper = UploadSessionSweeper.builder(manager)
                .closedRetention(Duration.ofMinutes(10)).build();

        clock.set(s.expiresAt().plus(Duration.ofMinutes(9)));
        assertThat(sweeper.sweep(clock.instant())).isZero();
        clock.advance(Duration.ofMinutes(1));
        assertThat(sweeper.sweep(clock.instant())).isEqualTo(1);
        assertRefused(() -> manager.status(OWNER, s.id()), Reason.NOT_FOUND);
        assertThat(blobs.exists(s.storageKey())).isTrue();
    }

    @Test
    void aCancelledSessionIsGoneWithItsPartsAndQuota() {
        quotas.setLimits(OWNER, 0, 0, 3 * PART);
        byte[] file = random(3 * PART, 12);
        UploadSession s = manager.create(OWNER, "a.zip", file.length, null);
        assertThatThrownBy(() -> manager.create(OWNER, "b.zip", 1, null)).isInstanceOf(QuotaExceededException.class);
        put(s, 1, file);
        manager.cancel(OWNER, s.id());
        assertThat(stagedParts(s)).isEmpty();
        assertRefused(() -> put(s, 2, file), Reason.NOT_FOUND);
        assertRefused(() -> manager.finalizeSession(OWNER, s.id()), Reason.NOT_FOUND);
        assertThat(quotas.usage(OWNER).orElseThrow().storageUsedBytes()).isZero();
        manager.create(OWNER, "b.zip", 3 * PART, null); // the quota is free again
    }

    @Test
    void aCompletedSessionCannotBeCancelledOrTakeParts() {
        byte[] file = random(PART, 13);
        UploadSession s = manager.create(OWNER, "a.zip", file.length, null);
        put(s, 1, file);
        manager.finalizeSession(OWNER, s.id());
        assertRefused(() -> manager.cancel(OWNER, s.id()), Reason.ALREADY_FINALIZED);
        assertRefused(() -> put(s, 1, file), Reason.ALREADY_FINALIZED);
        assertThat(manager.finalizeSession(OWNER, s.id()).status()).isEqualTo(UploadStatus.COMPLETED);
        assertThat(manager.status(OWNER, s.id()).status()).isEqualTo(UploadStatus.COMPLETED);
        assertStoredEquals(s, file);
    }

    @Test
    void anotherOwnersSessionIsNotFound() {
        byte[] file = random(PART, 14);
        UploadSession s = manager.create(OWNER, "a.zip", file.length, null);
        String mallory = "key-mallory";
        assertRefused(() -> manager.status(mallory, s.id()), Reason.NOT_FOUND);
        assertRefused(() -> manager.putPart(mallory, s.id(), 1, new ByteArrayInputStream(file), PART, null), Reason.NOT_FOUND);
        assertRefused(() -> manager.finalizeSession(mallory, s.id()), Reason.NOT_FOUND);
        assertRefused(() -> manager.cancel(mallory, s.id()), Reason.NOT_FOUND);
        assertRefused(() -> manager.status(OWNER, "no-such-session"), Reason.NOT_FOUND);
        assertThat(stagedParts(s)).isEmpty();
        put(s, 1, file);
        assertStoredEquals(manager.finalizeSession(OWNER, s.id()), file);
    }

    // ---- finalize -------------------------------------------------------------------------------

    @Test
    void finalizeWithAMissingPartListsItAndLeavesTheSessionOpen() {
        byte[] file = random(3 * PART, 15);
        UploadSession s = manager.create(OWNER, "a.zip", file.length, sha256Hex(file));
        put(s, 1, file);
        put(s, 3, file);
        assertThatThrownBy(() -> manager.finalizeSession(OWNER, s.id()))
                .isInstanceOfSatisfying(UploadSessionException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.INCOMPLETE);
                    assertThat(e.getMessage()).contains("missing 1 of 3 parts: [2]");
                });
        put(s, 2, file);
        assertStoredEquals(manager.finalizeSession(OWNER, s.id()), file);
    }

    @Test
    void concurrentFinalizeFromManyThreadsAssemblesOnce() throws Exception {
        byte[] file = random(20 * PART + 1, 16);
        UploadSession s = manager.create(OWNER, "a.zip", file.length, sha256Hex(file));
        for (int p = 1; p <= 21; p++) {
            put(s, p, file);
        }
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<UploadSession>> results = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return manager.finalizeSession(OWNER, s.id());
                }));
            }
            start.countDown();
            for (Future<UploadSession> f : results) {
                assertThat(f.get(30, TimeUnit.SECONDS).status()).isEqualTo(UploadStatus.COMPLETED);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(counting.commits.get()).isEqualTo(1);
        assertStoredEquals(s, file);
    }

    @Test
    void aWholeFileShaMismatchClosesTheSessionAndDeletesTheBlob() {
        byte[] file = random(2 * PART, 17);
        byte[] other = file.clone();
        other[0] ^= 1;
        UploadSession s = manager.create(OWNER, "a.zip", file.length, sha256Hex(other));
        put(s, 1, file);
        put(s, 2, file);
        assertThatThrownBy(() -> manager.finalizeSession(OWNER, s.id()))
                .isInstanceOfSatisfying(UploadSessionException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.CHECKSUM_MISMATCH);
                    assertThat(e.getMessage()).contains(sha256Hex(file), sha256Hex(other));
                });
        assertThat(blobs.exists(s.storageKey())).isFalse();
        assertRefused(() -> manager.finalizeSession(OWNER, s.id()), Reason.ALREADY_FINALIZED);
        assertRefused(() -> put(s, 1, file), Reason.ALREADY_FINALIZED);
    }

    @Test
    void aMalformedWholeFileChecksumIsRefusedAtCreation() {
        assertThatThrownBy(() -> manager.create(OWNER, "a.zip", 10, "not-a-checksum"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SHA_256");
    }

    // ---- helpers --------------------------------------------------------------------------------

    protected UploadPart put(UploadSession s, int partNumber, byte[] file) {
        return manager.putPart(OWNER, s.id(), partNumber, new ByteArrayInputStream(slice(file, partNumber)),
                -1, null);
    }

    protected static byte[] slice(byte[] file, int partNumber) {
        int from = (partNumber - 1) * PART;
        return Arrays.copyOfRange(file, from, Math.min(file.length, from + PART));
    }

    protected void assertStoredEquals(UploadSession s, byte[] file) {
        try (InputStream in = blobs.get(s.storageKey()).orElseThrow()) {
            byte[] stored = in.readAllBytes();
            assertThat(sha256Hex(stored)).isEqualTo(sha256Hex(file));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    protected static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(UploadSessionException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }

    protected static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    protected static String crc32cHex(byte[] bytes) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes);
        return String.format(java.util.Locale.ROOT, "%08x", crc.getValue());
    }

    protected static String sha256Hex(byte[] data) {
        return HexFormat.of().formatHex(digest("SHA-256", data));
    }

    protected static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Fails like a dropped connection after {@code limit} bytes. */
    static final class DroppingInputStream extends InputStream {
        private final ByteArrayInputStream in;
        private int left;

        DroppingInputStream(byte[] data, int limit) {
            this.in = new ByteArrayInputStream(data);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left-- <= 0) {
                throw new IOException("connection reset by peer");
            }
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                throw new IOException("connection reset by peer");
            }
            int n = in.read(b, off, Math.min(len, left));
            left -= n;
            return n;
        }
    }

    /** Counts the calls that matter for idempotency. */
    static final class CountingBlobStore extends ForwardingBlobStore {
        final BlobStore inner;
        final AtomicInteger commits = new AtomicInteger();
        final AtomicInteger staged = new AtomicInteger();

        CountingBlobStore(BlobStore inner) {
            super(inner);
            this.inner = inner;
        }

        @Override
        public long stagePart(String key, String uploadId, int partNumber, InputStream data) {
            staged.incrementAndGet();
            return inner.stagePart(key, uploadId, partNumber, data);
        }

        @Override
        public long stagePart(String key, String uploadId, int partNumber, PartLayout layout, InputStream data) {
            staged.incrementAndGet();
            return inner.stagePart(key, uploadId, partNumber, layout, data);
        }

        @Override
        public BlobInfo commitParts(String key, String uploadId, List<Integer> partNumbers) {
            commits.incrementAndGet();
            return inner.commitParts(key, uploadId, partNumbers);
        }
    }
}
