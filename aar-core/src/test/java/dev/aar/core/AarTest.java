package dev.aar.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.aar.core.config.AarConfig;
import dev.aar.core.config.WorkerProcessing;
import dev.aar.core.event.ProgressListener;
import dev.aar.core.memory.InMemoryCheckpointStore;
import dev.aar.core.memory.InMemoryEmbeddingStore;
import dev.aar.core.memory.InMemoryProjectStore;
import dev.aar.core.memory.InMemoryQuotaStore;
import dev.aar.core.memory.InMemoryUploadSessionStore;
import dev.aar.core.storage.FileSystemBlobStore;
import dev.aar.core.storage.PolicyBlobStore;
import dev.aar.core.resilience.ResilientBlobStore;
import dev.aar.core.storage.StorageKeyFile;
import dev.aar.storage.BlobStore;
import dev.aar.storage.ForwardingBlobStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AarTest {

    @TempDir
    Path dir;

    @Test
    void everyBackendDefaultsToTheEmbeddedOne() throws Exception {
        try (Aar aar = Aar.builder().dataDirectory(dir).build()) {
            assertThat(aar.config()).isEqualTo(AarConfig.defaults());
            // the spec's StoragePolicy defaults (encrypted, compressed) apply to the embedded store
            assertThat(aar.blobStore()).isInstanceOf(PolicyBlobStore.class);
            assertThat(dir.resolve("blobs")).isDirectory();
            assertThat(aar.uploadSessionStore()).isInstanceOf(InMemoryUploadSessionStore.class);
            assertThat(aar.checkpointStore()).isInstanceOf(InMemoryCheckpointStore.class);
            assertThat(aar.embeddingStore()).isInstanceOf(InMemoryEmbeddingStore.class);
            assertThat(aar.quotaStore()).isInstanceOf(InMemoryQuotaStore.class);
            assertThat(aar.projectStore()).isInstanceOf(InMemoryProjectStore.class);
            assertThat(aar.meterRegistry()).isInstanceOf(SimpleMeterRegistry.class);
            assertThat(aar.listeners()).isEmpty();

            assertThat(aar.blobStore().put("k", new ByteArrayInputStream(new byte[] {1, 2, 3}))).isEqualTo(3L);
            assertThat(aar.blobStore().get("k").orElseThrow().readAllBytes()).containsExactly(1, 2, 3);
            assertThat(aar.blobStore().stat("k")).isPresent(); // the sealed size: header and tag included
        }
    }

    @Test
    void explicitBackendsAreUsedAndTheBlobStoreGetsThePolicyAndPipeline() {
        AarConfig config = AarConfig.builder()
                .workerProcessing(WorkerProcessing.builder().maxConcurrentJobs(7).build()).build();
        TrackingBlobStore blobs = new TrackingBlobStore(FileSystemBlobStore.open(dir));
        var sessions = new InMemoryUploadSessionStore();
        var checkpoints = new InMemoryCheckpointStore();
        var embeddings = new InMemoryEmbeddingStore();
        var quotas = new InMemoryQuotaStore();
        var projects = new InMemoryProjectStore();
        MeterRegistry registry = new SimpleMeterRegistry();
        ProgressListener first = event -> { };
        ProgressListener second = event -> { };

        try (Aar aar = Aar.builder().config(config).dataDirectory(dir.resolve("data")).blobStore(blobs).uploadSessionStore(sessions)
                .checkpointStore(checkpoints).embeddingStore(embeddings).quotaStore(quotas).projectStore(projects)
                .meterRegistry(registry).listener(first).listener(second).build()) {
            assertThat(aar.config()).isSameAs(config);
            assertThat(aar.blobStore()).isInstanceOfSatisfying(PolicyBlobStore.class, p -> assertThat(p.delegate())
                    .isInstanceOfSatisfying(ResilientBlobStore.class, r -> assertThat(r.delegate()).isSameAs(blobs)));
            assertThat(aar.uploadSessionStore()).isSameAs(sessions);
            assertThat(aar.checkpointStore()).isSameAs(checkpoints);
            assertThat(aar.embeddingStore()).isSameAs(embeddings);
            assertThat(aar.quotaStore()).isSameAs(quotas);
            assertThat(aar.projectStore()).isSameAs(projects);
            assertThat(aar.meterRegistry()).isSameAs(registry);
            assertThat(aar.listeners()).containsExactly(first, second);
        }
    }

    @Test
    void closeClosesWhatTheBuilderCreatedButNotTheHostsBackends() {
        TrackingBlobStore hostBlobs = new TrackingBlobStore(FileSystemBlobStore.open(dir.resolve("host")));
        MeterRegistry hostRegistry = new SimpleMeterRegistry();

        Aar withHostBackends = Aar.builder().dataDirectory(dir.resolve("data")).blobStore(hostBlobs)
                .meterRegistry(hostRegistry).build();
        withHostBackends.close();

        assertThat(hostBlobs.closed).isZero();
        assertThat(hostRegistry.isClosed()).isFalse();

        Aar withDefaults = Aar.builder().dataDirectory(dir.resolve("own")).build();
        withDefaults.close();

        assertThat(withDefaults.meterRegistry().isClosed()).isTrue();
        assertThat(dir.resolve("own")).isDirectory(); // the host's directory: kept, with its data
    }

    @Test
    void theEmbeddedStoreIsEncryptedAtRestWithAKeyItKeepsOwnerOnly() throws Exception {
        byte[] secret = "very recognisable plaintext ".repeat(100).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (Aar aar = Aar.builder().dataDirectory(dir).build()) {
            aar.blobStore().put("projects/p/archive.zip", new ByteArrayInputStream(secret));
        }
        Path keyFile = dir.resolve(StorageKeyFile.FILE_NAME);
        assertThat(keyFile).isRegularFile();
        assertThat(java.nio.file.Files.getPosixFilePermissions(keyFile))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        try (var files = java.nio.file.Files.walk(dir.resolve("blobs"))) {
            for (Path f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                assertThat(new String(java.nio.file.Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1))
                        .doesNotContain("recognisable");
            }
        }
        // a second instance on the same directory reads the same key, so the data stays readable
        try (Aar again = Aar.builder().dataDirectory(dir).build()) {
            assertThat(again.blobStore().get("projects/p/archive.zip").orElseThrow().readAllBytes()).isEqualTo(secret);
        }
    }

    @Test
    void withEncryptionAndCompressionOffTheEmbeddedStoreIsTheFileStoreWithItsPipeline() {
        AarConfig plain = AarConfig.defaults().toBuilder().storagePolicy(dev.aar.core.config.StoragePolicy.defaults()
                .toBuilder().encryptionEnabled(false).compressionEnabled(false).build()).build();
        try (Aar aar = Aar.builder().config(plain).dataDirectory(dir).build()) {
            assertThat(aar.blobStore()).isInstanceOfSatisfying(ResilientBlobStore.class,
                    r -> assertThat(r.delegate()).isInstanceOf(FileSystemBlobStore.class));
            assertThat(dir.resolve(StorageKeyFile.FILE_NAME)).doesNotExist();
        }
    }

    @Test
    void aTemporaryDataDirectoryTheBuilderMadeIsDeletedAtClose() throws Exception {
        Path root;
        AarConfig plain = AarConfig.defaults().toBuilder().storagePolicy(dev.aar.core.config.StoragePolicy.defaults()
                .toBuilder().encryptionEnabled(false).compressionEnabled(false).build()).build();
        try (Aar aar = Aar.builder().config(plain).build()) {
            aar.blobStore().put("some/blob", new ByteArrayInputStream(new byte[10]));
            root = ((FileSystemBlobStore) ((ResilientBlobStore) aar.blobStore()).delegate()).root();
            assertThat(root).isDirectory();
        }

        assertThat(root.getParent()).doesNotExist();
    }

    @Test
    void handedOverResourcesCloseLastInReverseOrder() {
        List<String> closed = new ArrayList<>();

        Aar aar = Aar.builder().dataDirectory(dir).closeWith(() -> closed.add("pool"))
                .closeWith(() -> closed.add("client")).build();
        aar.close();
        aar.close();

        assertThat(closed).containsExactly("client", "pool");
    }

    @Test
    void aFailingBuildClosesWhatItOpenedAndNothingOfTheHosts() throws Exception {
        Files.writeString(dir.resolve("blobs"), "a file where the blob store's directory should be");
        List<String> closed = new ArrayList<>();
        MeterRegistry hostRegistry = new SimpleMeterRegistry();

        Throwable thrown = catchThrowable(() -> Aar.builder().dataDirectory(dir).meterRegistry(hostRegistry)
                .closeWith(() -> closed.add("pool")).build());

        assertThat(thrown).isInstanceOf(UncheckedIOException.class).hasMessageContaining("blob store");
        assertThat(closed).containsExactly("pool");
        assertThat(hostRegistry.isClosed()).isFalse();
    }

    @Test
    void aFailureWhileCleaningUpAFailedBuildIsSuppressedNotLost() throws Exception {
        Files.writeString(dir.resolve("blobs"), "not a directory");

        Throwable thrown = catchThrowable(() -> Aar.builder().dataDirectory(dir)
                .closeWith(() -> {
                    throw new IllegalStateException("pool would not close");
                }).build());

        assertThat(thrown).isInstanceOf(UncheckedIOException.class);
        assertThat(thrown.getSuppressed()).singleElement().extracting(Throwable::getMessage)
                .isEqualTo("pool would not close");
    }

    @Test
    void closeClosesEverythingEvenWhenOneFailsAndThenReportsTheFirstFailure() {
        List<String> closed = new ArrayList<>();
        Aar aar = Aar.builder().dataDirectory(dir)
                .closeWith(() -> closed.add("first"))
                .closeWith(() -> {
                    throw new IllegalStateException("second failed");
                })
                .build();

        assertThatThrownBy(aar::close).hasMessage("second failed");
        assertThat(closed).containsExactly("first");
        assertThat(aar.meterRegistry().isClosed()).isTrue();
    }

    @Test
    void aBuilderBuildsOnce() {
        Aar.Builder builder = Aar.builder().dataDirectory(dir);
        try (Aar first = builder.build()) {
            assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("new Aar.builder()");
            assertThat(first.blobStore()).isNotNull();
        }
    }

    /** A host-owned blob store that counts close() calls. */
    private static final class TrackingBlobStore extends ForwardingBlobStore {
        int closed;

        TrackingBlobStore(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public void close() {
            closed++;
        }
    }
}
