package dev.aar.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.Block;
import com.azure.storage.blob.models.BlockList;
import com.azure.storage.blob.models.BlockListType;
import dev.aar.core.error.ConfigException;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.Connections;
import dev.aar.core.testing.RequiredService;
import dev.aar.storage.BlobInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is particular to {@link AzureBlobStore} on Azurite, through the real Azure SDK: many small
 * blocks per blob, block ids, spooled parts, how abort and a repeated commit work on block lists,
 * errors and configuration. The portable behaviour is the kit's, in {@link AzureBlobStoreTest}.
 */
class AzureBlobStoreAzureTest {

    static final String AZURITE = Azurite.CONNECTION_STRING;
    static final int BLOCK = 1024;

    static final String CONTAINER = Azurite.newContainerName();
    static AzureBlobStore store;
    static BlobContainerClient raw;

    @TempDir
    static Path spool;

    String prefix;

    @BeforeAll
    static void connect() {
        RequiredService.requireAzurite();
        store = AzureBlobStore.create(AzureBlobStoreConfig.builder(AZURITE).container(CONTAINER).blockSizeBytes(BLOCK)
                .partMemoryThresholdBytes(4 * BLOCK).spoolDirectory(spool).tryTimeout(Duration.ofSeconds(20)).build());
        raw = new BlobContainerClientBuilder().connectionString(AZURITE).containerName(CONTAINER).buildClient();
    }

    @AfterAll
    static void dropContainer() {
        if (raw != null) {
            raw.deleteIfExists();
        }
    }

    @BeforeEach
    void freshPrefix() {
        prefix = "t-" + UUID.randomUUID().toString().substring(0, 8) + "/";
    }

    @Test
    void roundTripsEmptySingleBlockAndMultiBlockBlobs() throws IOException {
        for (int size : new int[] {0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK, 7 * BLOCK + 13}) {
            byte[] data = bytes(size, size);
            String key = prefix + "blob-" + size;
            assertThat(store.put(key, new ByteArrayInputStream(data))).isEqualTo(size);
            assertThat(read(key)).as("size %d", size).isEqualTo(data);
            assertThat(store.stat(key)).get().extracting(BlobInfo::size).isEqualTo((long) size);
        }
    }

    @Test
    void createsTheContainerOnFirstWrite() {
        String name = "aar-new-" + UUID.randomUUID().toString().substring(0, 8);
        BlobContainerClient fresh = new BlobContainerClientBuilder().connectionString(AZURITE).containerName(name)
                .buildClient();
        try {
            AzureBlobStore other = AzureBlobStore.create(AzureBlobStoreConfig.builder(AZURITE).container(name).build());
            assertThat(other.get("a")).isEmpty();
            assertThat(other.list("")).isEmpty();
            assertThat(fresh.exists()).isFalse();
            other.put("a", new ByteArrayInputStream(new byte[] {1}));
            assertThat(fresh.exists()).isTrue();
        } finally {
            fresh.deleteIfExists();
        }
    }

    @Test
    void putStreamsBlocksBeforeTheStreamEnds() throws IOException {
        String key = prefix + "streamed";
        AtomicReference<Integer> stagedMidway = new AtomicReference<>();
        byte[] data = bytes(8 * BLOCK, 1);
        InputStream probe = new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                if (pos == 6 * BLOCK && stagedMidway.get() == null) {
                    stagedMidway.set(uncommitted(key).size());
                }
                return super.read(b, off, Math.min(len, 100));
            }
        };
        store.put(key, probe);
        // blocks were on the service while the stream was still being read: nothing held the whole blob
        assertThat(stagedMidway.get()).isGreaterThanOrEqualTo(5);
        assertThat(read(key)).isEqualTo(data);
    }

    @Test
    void putReplacesAtomicallyAndAFailingStreamLeavesTheOldBlob() throws IOException {
        String key = prefix + "replace";
        store.put(key, new ByteArrayInputStream(bytes(5 * BLOCK, 1)));
        byte[] second = bytes(2 * BLOCK + 5, 2);
        store.put(key, new ByteArrayInputStream(second));
        assertThat(read(key)).isEqualTo(second);

        assertThatThrownBy(() -> store.put(key, failingAfter(4 * BLOCK + 10, new IOException("client went away"))))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("client went away");
        assertThat(read(key)).isEqualTo(second);
        assertThat(store.stat(key)).get().extracting(BlobInfo::size).isEqualTo((long) second.length);
    }

    @Test
    void aFailingStreamNeverCreatesANewBlobAndItsOwnExceptionPassesThrough() {
        String small = prefix + "small";
        String large = prefix + "large";
        IllegalStateException mismatch = new IllegalStateException("checksum mismatch");
        assertThatThrownBy(() -> store.put(small, failingAfter(10, mismatch))).isSameAs(mismatch);
        assertThatThrownBy(() -> store.put(large, failingAfter(6 * BLOCK, mismatch))).isSameAs(mismatch);
        assertThat(store.exists(small)).isFalse();
        assertThat(store.exists(large)).isFalse();
        assertThat(store.list(prefix)).isEmpty();
    }

    @Test
    void aReaderNeverMixesTheOldBlobWithItsReplacement() throws IOException {
        String key = prefix + "read-while-replaced";
        byte[] old = bytes(6 * BLOCK, 1);
        store.put(key, new ByteArrayInputStream(old));
        try (InputStream in = store.get(key).orElseThrow()) {
            byte[] first = in.readNBytes(BLOCK);
            assertThat(first).isEqualTo(java.util.Arrays.copyOf(old, BLOCK));
            store.put(key, new ByteArrayInputStream(bytes(6 * BLOCK, 2)));
            // the rest of the old blob is gone: the read fails rather than continuing with new bytes
            assertThatThrownBy(() -> in.readNBytes(5 * BLOCK)).isInstanceOf(IOException.class);
        }
        assertThat(read(key)).isEqualTo(bytes(6 * BLOCK, 2));
    }

    @Test
    void missingBlobsAreEmptyAndDeleteSaysWhetherThereWasOne() {
        String key = prefix + "gone";
        assertThat(store.get(key)).isEmpty();
        assertThat(store.stat(key)).isEmpty();
        assertThat(store.exists(key)).isFalse();
        assertThat(store.delete(key)).isFalse();
        store.put(key, new ByteArrayInputStream(new byte[] {1, 2, 3}));
        assertThat(store.exists(key)).isTrue();
        assertThat(store.delete(key)).isTrue();
        assertThat(store.exists(key)).isFalse();
    }

    @Test
    void listsByPrefixSortedByKey() {
        for (String k : List.of("b/2", "a", "b/1", "c-1", "b/10")) {
            store.put(prefix + k, new ByteArrayInputStream(k.getBytes()));
        }
        store.put("other-" + prefix + "x", new ByteArrayInputStream(new byte[1]));
        assertThat(store.list(prefix)).extracting(BlobInfo::key)
                .containsExactly(prefix + "a", prefix + "b/1", prefix + "b/10", prefix + "b/2", prefix + "c-1");
        assertThat(store.list(prefix + "b/")).extracting(BlobInfo::size).containsExactly(3L, 4L, 3L);
        assertThat(store.list(prefix + "zzz")).isEmpty();
    }

    @Test
    void commitsPartsInTheGivenOrderAndHidesThemUntilThen() throws IOException {
        String key = prefix + "upload.zip";
        String upload = UUID.randomUUID().toString();
        byte[] p1 = bytes(3 * BLOCK, 1);
        byte[] p2 = bytes(3 * BLOCK, 2);
        byte[] p3 = bytes(100, 3);
        assertThat(store.stagePart(key, upload, 3, new ByteArrayInputStream(p3))).isEqualTo(100);
        assertThat(store.stagePart(key, upload, 1, new ByteArrayInputStream(p1))).isEqualTo(p1.length);
        assertThat(store.stagePart(key, upload, 2, new ByteArrayInputStream(p2))).isEqualTo(p2.length);
        assertThat(store.exists(key)).isFalse();
        assertThat(store.list(prefix)).isEmpty();

        BlobInfo info = store.commitParts(key, upload, List.of(1, 2, 3));

        assertThat(info.key()).isEqualTo(key);
        assertThat(info.size()).isEqualTo(p1.length + p2.length + p3.length);
        assertThat(read(key)).isEqualTo(concat(p1, p2, p3));
        assertThat(uncommitted(key)).as("staged parts are discarded by the commit").isEmpty();
    }

    @Test
    void reStagingAPartReplacesItAndAFailedReStageKeepsTheEarlierOne() throws IOException {
        String key = prefix + "restage";
        String upload = UUID.randomUUID().toString();
        store.stagePart(key, upload, 1, new ByteArrayInputStream(bytes(50, 1)));
        byte[] replacement = bytes(70, 9);
        store.stagePart(key, upload, 1, new ByteArrayInputStream(replacement));
        byte[] second = bytes(20, 2);
        store.stagePart(key, upload, 2, new ByteArrayInputStream(second));
        assertThatThrownBy(() -> store.stagePart(key, upload, 2, failingAfter(10, new IOException("dropped"))))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("part 2").hasMessageContaining("dropped");

        store.commitParts(key, upload, List.of(1, 2));

        assertThat(read(key)).isEqualTo(concat(replacement, second));
    }

    @Test
    void aPartWhoseStreamFailsIsNeverStaged() {
        String key = prefix + "failing-part";
        String upload = UUID.randomUUID().toString();
        store.stagePart(key, upload, 1, new ByteArrayInputStream(bytes(10, 1)));
        assertThatThrownBy(() -> store.stagePart(key, upload, 2, failingAfter(9 * BLOCK, new IOException("reset"))))
                .isInstanceOf(UncheckedIOException.class);
        assertThat(uncommitted(key)).hasSize(1);
        assertThatThrownBy(() -> store.commitParts(key, upload, List.of(1, 2)))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("part 2 was never staged");
        assertThat(store.exists(key)).isFalse();
        try (var files = Files.list(spool)) {
            assertThat(files).as("spool files are removed").isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aPartLongerThanTheMemoryThresholdIsSpooledAndStagedAsOneBlock() throws IOException {
        String key = prefix + "big-part";
        String upload = UUID.randomUUID().toString();
        byte[] big = bytes(20 * BLOCK + 3, 4);
        store.stagePart(key, upload, 1, new ByteArrayInputStream(big));
        assertThat(uncommitted(key)).singleElement().extracting(Block::getSizeLong).isEqualTo((long) big.length);
        store.commitParts(key, upload, List.of(1));
        assertThat(read(key)).isEqualTo(big);
        try (var files = Files.list(spool)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void anEmptyPartIsRefusedBecauseAzureRefusesEmptyBlocks() {
        assertThatThrownBy(() -> store.stagePart(prefix + "k", "u", 1, new ByteArrayInputStream(new byte[0])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("part is empty");
        assertThat(uncommitted(prefix + "k")).isEmpty();
    }

    @Test
    void commitFailsForAPartNeverStagedAndPublishesNothing() {
        String key = prefix + "missing-part";
        String upload = UUID.randomUUID().toString();
        store.stagePart(key, upload, 1, new ByteArrayInputStream(bytes(10, 1)));
        assertThatThrownBy(() -> store.commitParts(key, upload, List.of(1, 2)))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("part 2 was never staged")
                .hasMessageContaining(upload);
        assertThat(store.exists(key)).isFalse();
        assertThatThrownBy(() -> store.commitParts(key, "other-upload", List.of(1)))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("part 1 was never staged");
    }

    @Test
    void abortOfAKeyWithoutABlobDiscardsThePartsAndLeavesNoBlob() {
        String key = prefix + "aborted";
        String upload = UUID.randomUUID().toString();
        store.stagePart(key, upload, 1, new ByteArrayInputStream(bytes(10, 1)));
        store.stagePart(key, upload, 2, new ByteArrayInputStream(bytes(10, 2)));

        store.abortParts(key, upload);

        assertThat(uncommitted(key)).isEmpty();
        assertThat(store.exists(key)).isFalse();
        assertThat(store.list(prefix)).isEmpty();
        assertThatThrownBy(() -> store.commitParts(key, upload, List.of(1)))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("part 1 was never staged");
    }

    @Test
    void abortRecommitsAMultiBlockBlobWithItsBytesHeadersAndMetadata() throws IOException {
        String key = prefix + "kept";
        byte[] existing = bytes(5 * BLOCK + 7, 5);
        store.put(key, new ByteArrayInputStream(existing));
        BlobClient client = raw.getBlobClient(key);
        client.setHttpHeaders(new BlobHttpHeaders().setContentType("application/zip").setCacheControl("no-cache"));
        client.setMetadata(Map.of("owner", "team-a"));
        String upload = UUID.randomUUID().toString();
        store.stagePart(key, upload, 1, new ByteArrayInputStream(bytes(10, 1)));

        store.abortParts(key, upload);

        assertThat(uncommitted(key)).isEmpty();
        assertThat(read(key)).isEqualTo(existing);
        BlobProperties after = client.getProperties();
        assertThat(after.getContentType()).isEqualTo("application/zip");
        assertThat(after.getCacheControl()).isEqualTo("no-cache");
        assertThat(after.getMetadata()).containsEntry("owner", "team-a");
        assertThatThrownBy(() -> store.commitParts(key, upload, List.of(1)))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("part 1 was never staged");
    }

    @Test
    void abortKeepsABlobWrittenInOnePutBlob() throws IOException {
        String key = prefix + "single";
        byte[] existing = bytes(BLOCK / 2, 6);
        store.put(key, new ByteArrayInputStream(existing)); // one Put Blob: it may have no committed block list
        String upload = UUID.randomUUID().toString();
        store.stagePart(key, upload, 1, new ByteArrayInputStream(bytes(10, 1)));

        store.abortParts(key, upload);

        assertThat(uncommitted(key)).isEmpty();
        assertThat(read(key)).isEqualTo(existing);
    }

    @Test
    void abortNeverPublishesAStagedPartThatShadowsACommittedOne() throws IOException {
        // re-staging part 1 of a committed upload gives an uncommitted block the id of a committed one;
        // committing the committed ids as they are would publish the new bytes instead
        String key = prefix + "shadowed";
        String upload = UUID.randomUUID().toString();
        byte[] published = bytes(40, 7);
        store.stagePart(key, upload, 1, new ByteArrayInputStream(published));
        store.commitParts(key, upload, List.of(1));
        store.stagePart(key, upload, 1, new ByteArrayInputStream(bytes(40, 8)));

        store.abortParts(key, upload);

        assertThat(uncommitted(key)).isEmpty();
        assertThat(read(key)).isEqualTo(published);
    }

    @Test
    void abortOfAnUploadWithNothingStagedWritesNothing() {
        String key = prefix + "untouched";
        store.put(key, new ByteArrayInputStream(bytes(3 * BLOCK, 1)));
        String etag = raw.getBlobClient(key).getProperties().getETag();
        store.stagePart(key, "other-upload", 1, new ByteArrayInputStream(bytes(10, 1)));

        store.abortParts(key, "never-started");
        store.abortParts(prefix + "no-blob-at-all", "never-started");

        assertThat(raw.getBlobClient(key).getProperties().getETag()).isEqualTo(etag);
        assertThat(uncommitted(key)).hasSize(1);
        assertThat(raw.getBlobClient(prefix + "no-blob-at-all").exists()).isFalse();
    }

    @Test
    void repeatingASuccessfulCommitReturnsTheBlobWithoutWritingAgain() throws IOException {
        String key = prefix + "retried";
        String upload = UUID.randomUUID().toString();
        byte[] p1 = bytes(30, 1);
        byte[] p2 = bytes(12, 2);
        store.stagePart(key, upload, 1, new ByteArrayInputStream(p1));
        store.stagePart(key, upload, 2, new ByteArrayInputStream(p2));
        BlobInfo first = store.commitParts(key, upload, List.of(1, 2));
        String etag = raw.getBlobClient(key).getProperties().getETag();

        BlobInfo again = store.commitParts(key, upload, List.of(1, 2));

        assertThat(again.size()).isEqualTo(first.size()).isEqualTo(42);
        assertThat(raw.getBlobClient(key).getProperties().getETag()).as("no second write").isEqualTo(etag);
        assertThat(read(key)).isEqualTo(concat(p1, p2));
        // anything but the very same commit still fails
        assertThatThrownBy(() -> store.commitParts(key, upload, List.of(2, 1)))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("was never staged");
        assertThatThrownBy(() -> store.commitParts(key, upload, List.of(1)))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("was never staged");
        store.put(key, new ByteArrayInputStream(bytes(5, 3)));
        assertThatThrownBy(() -> store.commitParts(key, upload, List.of(1, 2)))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("part 1 was never staged");
    }

    @Test
    void aCommitRepeatedAfterAPartWasStagedAgainPublishesTheNewPart() throws IOException {
        String key = prefix + "restaged-after-commit";
        String upload = UUID.randomUUID().toString();
        store.stagePart(key, upload, 1, new ByteArrayInputStream(bytes(20, 1)));
        store.commitParts(key, upload, List.of(1));
        byte[] newer = bytes(25, 2);
        store.stagePart(key, upload, 1, new ByteArrayInputStream(newer));

        assertThat(store.commitParts(key, upload, List.of(1)).size()).isEqualTo(25);

        assertThat(read(key)).isEqualTo(newer);
    }

    @Test
    void everyBlockIdOfABlobHasTheSameLength() {
        String key = prefix + "ids";
        store.stagePart(key, "u", 1, new ByteArrayInputStream(bytes(10, 1)));
        store.stagePart(key, "an-upload-id-" + "x".repeat(300), Integer.MAX_VALUE,
                new ByteArrayInputStream(bytes(10, 1)));
        assertThatThrownBy(() -> store.put(key, failingAfter(3 * BLOCK, new IOException("stop"))))
                .isInstanceOf(UncheckedIOException.class);
        List<Block> blocks = uncommitted(key);
        assertThat(blocks).hasSizeGreaterThanOrEqualTo(4);
        assertThat(blocks).extracting(b -> b.getName().length()).containsOnly(64);
    }

    @Test
    void refusesBadKeysUploadIdsAndPartNumbers() {
        assertThatThrownBy(() -> store.put("../escape", new ByteArrayInputStream(new byte[1])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.stagePart(prefix + "k", "a/b", 1, new ByteArrayInputStream(new byte[1])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.stagePart(prefix + "k", "u", 0, new ByteArrayInputStream(new byte[1])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.stagePart(prefix + "k", "u", -1, new ByteArrayInputStream(new byte[1])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(">= 1");
        List<Integer> tooMany = java.util.stream.IntStream.rangeClosed(1, 50_001).boxed().toList();
        assertThatThrownBy(() -> store.commitParts(prefix + "k", "u", tooMany))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("50001 parts", "50000");
    }

    @Test
    void aPartNumberAboveTheBlockCountLimitIsFineWhileTheCommitStaysWithinIt() throws IOException {
        // the storage policy stages its manifest as part Integer.MAX_VALUE and commits it first
        String key = prefix + "high";
        store.stagePart(key, "u", 2, new ByteArrayInputStream("two".getBytes(StandardCharsets.UTF_8)));
        store.stagePart(key, "u", Integer.MAX_VALUE, new ByteArrayInputStream("max-".getBytes(StandardCharsets.UTF_8)));

        assertThat(store.commitParts(key, "u", List.of(Integer.MAX_VALUE, 2)).size()).isEqualTo(7);

        assertThat(new String(read(key), StandardCharsets.UTF_8)).isEqualTo("max-two");
    }

    @Test
    void aWrongAccountKeyIsAClearErrorThatNeverShowsTheKey() {
        String badKey = "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=";
        String wrong = AZURITE.replaceFirst("AccountKey=[^;]+", "AccountKey=" + badKey);
        AzureBlobStore bad = AzureBlobStore.create(AzureBlobStoreConfig.builder(wrong).container(CONTAINER).build());
        assertThatThrownBy(() -> bad.stat(prefix + "x"))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("HTTP 403")
                .hasMessageContaining("AZURE_STORAGE_CONNECTION_STRING")
                .hasMessageNotContaining(badKey);
    }

    @Test
    void anUnreachableServiceFailsAtOnceWithWhatWasBeingDone() throws IOException {
        byte[] data = bytes(10, 1);
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        AzureBlobStore unreachable = AzureBlobStore.create(AzureBlobStoreConfig.builder(
                AZURITE.replace("127.0.0.1:10000", "127.0.0.1:" + closedPort)).container(CONTAINER)
                .tryTimeout(Duration.ofSeconds(5)).build());
        assertThatThrownBy(() -> unreachable.put("k", new ByteArrayInputStream(data)))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot create container " + CONTAINER)
                .hasMessageNotContaining("Eby8vdM02");
        assertThatThrownBy(() -> unreachable.stat("k"))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot stat blob k")
                .hasMessageContaining("Connection refused");
    }

    static List<Block> uncommitted(String key) {
        try {
            BlockList list = raw.getBlobClient(key).getBlockBlobClient().listBlocks(BlockListType.UNCOMMITTED);
            return list.getUncommittedBlocks();
        } catch (com.azure.storage.blob.models.BlobStorageException e) {
            return List.of();
        }
    }

    static byte[] read(String key) throws IOException {
        try (InputStream in = store.get(key).orElseThrow()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A stream of random bytes that throws {@code failure} after {@code goodBytes}. */
    static InputStream failingAfter(int goodBytes, Exception failure) {
        return new InputStream() {
            int sent;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (sent >= goodBytes) {
                    if (failure instanceof IOException io) {
                        throw io;
                    }
                    throw (RuntimeException) failure;
                }
                int n = Math.min(len, goodBytes - sent);
                sent += n;
                return n;
            }
        };
    }

    @Test
    void configComesFromTheConnectionsSectionAndRefusesWhatIsMissingOrMalformed() {
        AarConfig none = AarConfig.defaults();
        assertThatThrownBy(() -> AzureBlobStore.fromConfig(none)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("AzureStorageConnectionString").hasMessageContaining("AZURE_STORAGE_CONNECTION_STRING");
        AarConfig garbage = AarConfig.builder().connections(Connections.builder()
                .azureStorageConnectionString("AccountKey=sekrit;nonsense").build()).build();
        assertThatThrownBy(() -> AzureBlobStore.fromConfig(garbage)).isInstanceOf(ConfigException.class)
                .hasMessageNotContaining("sekrit");
        AarConfig azurite = AarConfig.builder().connections(Connections.builder()
                .azureStorageConnectionString(AZURITE).azureStorageContainer(CONTAINER).build()).build();
        assertThat(AzureBlobStoreConfig.from(azurite).toString()).doesNotContain("Eby8vdM02").contains(CONTAINER);
        assertThat(AzureBlobStore.fromConfig(azurite).list(prefix)).isEmpty();
        // over a host's own client no connection string is needed; a blank one is still a mistake
        assertThat(AzureBlobStore.of(Azurite.rawClient(CONTAINER), AzureBlobStoreConfig.builder(null).container(CONTAINER).build())
                .list(prefix)).isEmpty();
        assertThatThrownBy(() -> AzureBlobStoreConfig.builder(" ").build()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("AZURE_STORAGE_CONNECTION_STRING");
        assertThatThrownBy(() -> AzureBlobStoreConfig.builder(AZURITE).blockSizeBytes(10).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("blockSizeBytes = 10");
    }
}
