package dev.aar.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.core.config.AarConfig;
import dev.aar.core.config.EmbeddingProcessing;
import dev.aar.core.config.StoragePolicy;
import dev.aar.core.embedding.OfflineEmbeddingProvider;
import dev.aar.core.embedding.ResilientEmbeddingProvider;
import dev.aar.core.error.ConfigException;
import dev.aar.core.event.JobCompleted;
import dev.aar.core.project.Project;
import dev.aar.core.resilience.BlobStoragePipeline;
import dev.aar.core.resilience.EmbeddingPipeline;
import dev.aar.core.resilience.OpenAiPipeline;
import dev.aar.core.resilience.ResilientBlobStore;
import dev.aar.core.storage.FileSystemBlobStore;
import dev.aar.core.storage.PolicyBlobStore;
import dev.aar.embedding.EmbeddingModel;
import dev.aar.embedding.EmbeddingProvider;
import dev.aar.embedding.EmbeddingProviderException;
import dev.aar.embedding.EmbeddingResult;
import dev.aar.queue.Job;
import dev.aar.queue.JobPriority;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host: its own blob store and a throttling provider keep every promise of the configuration. */
class HostBackendsTest {

    private static final String CANARY = "PlaintextCanary";

    @TempDir
    Path dir;

    @Test
    void ownFileStoreAndFlakyProviderWithEncryptionKeepEveryPromise() throws Exception {
        AarConfig config = AarConfig.defaults().toBuilder()
                .storagePolicy(StoragePolicy.builder().encryptionEnabled(true).encryptionKey(newKey()).build())
                // small batches: many requests, so every third one is a 429
                .embeddingProcessing(EmbeddingProcessing.builder().batchSize(2).build())
                .build();
        Path blobs = dir.resolve("host-blobs");
        ThrottlingProvider provider = new ThrottlingProvider();
        CompletableFuture<JobCompleted> done = new CompletableFuture<>();
        try (FileSystemBlobStore store = FileSystemBlobStore.open(blobs);
                Aar aar = Aar.builder().config(config).dataDirectory(dir.resolve("data")).blobStore(store)
                        .embeddingProvider(provider).listener(e -> {
                            if (e instanceof JobCompleted c) {
                                done.complete(c);
                            }
                        }).build()) {
            aar.startWorkers();
            Project project = aar.analysis().createProject("org", "canary.zip", new ByteArrayInputStream(storedZip(12)));
            Job job = aar.analysis().submit("org", project.id(), JobPriority.NORMAL);

            JobCompleted completed = done.get(2, TimeUnit.MINUTES);

            assertThat(completed.isSuccess()).as(completed.error()).isTrue();
            assertThat(aar.jobQueue().find(job.id()).orElseThrow().attempts()).isEqualTo(1);
            assertThat(provider.throttled.get()).isPositive();
            assertThat(aar.meterRegistry().get("aar.jobs.attempts_failed").counters())
                    .allSatisfy(c -> assertThat(c.count()).isZero());
            assertThat(aar.analysis().report("org", completed.reportId())).isPresent();
        }
        assertThat(provider.closed).isFalse();
        // the archive, its parts and the reports: none in plaintext in the host's store
        try (Stream<Path> files = Files.walk(blobs)) {
            List<Path> stored = files.filter(Files::isRegularFile).toList();
            assertThat(stored).isNotEmpty();
            for (Path f : stored) {
                String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertThat(bytes).as(f.toString()).doesNotContain(CANARY);
            }
        }
    }

    @Test
    void hostBackendsGetEachLayerOnceAndThePipelinesAreNamed() {
        AarConfig config = AarConfig.defaults().toBuilder()
                .storagePolicy(StoragePolicy.builder().encryptionKey(newKey()).build()).build();
        try (FileSystemBlobStore store = FileSystemBlobStore.open(dir.resolve("b"));
                Aar aar = Aar.builder().config(config).blobStore(store).embeddingProvider(new ThrottlingProvider()).build()) {
            assertThat(aar.blobStore()).isInstanceOfSatisfying(PolicyBlobStore.class, p -> {
                assertThat(p.encrypts()).isTrue();
                assertThat(p.delegate()).isInstanceOfSatisfying(ResilientBlobStore.class,
                        r -> assertThat(r.delegate()).isSameAs(store));
            });
            assertThat(aar.embeddingProvider()).isInstanceOfSatisfying(ResilientEmbeddingProvider.class,
                    r -> assertThat(r.pipeline()).isSameAs(aar.pipelines().get(EmbeddingPipeline.NAME)));
            assertThat(aar.pipelines().names()).contains(EmbeddingPipeline.NAME, OpenAiPipeline.NAME,
                    BlobStoragePipeline.NAME);
            assertThat(aar.pipelines().get(OpenAiPipeline.NAME).execute(() -> "ok")).isEqualTo("ok");
            assertThat(aar.meterRegistry().find("resilience4j.retry.calls").tag("name", OpenAiPipeline.NAME).meters())
                    .isNotEmpty();
        }

        // already wrapped by the host: used as given, not wrapped twice
        try (FileSystemBlobStore store = FileSystemBlobStore.open(dir.resolve("c"))) {
            var sealed = PolicyBlobStore.wrap(store, config.storagePolicy());
            var resilient = ResilientEmbeddingProvider.builder(new ThrottlingProvider()).build();
            try (Aar aar = Aar.builder().config(config).blobStore(sealed).embeddingProvider(resilient).build()) {
                assertThat(aar.embeddingProvider()).isSameAs(resilient);
                assertThat(aar.blobStore()).isInstanceOfSatisfying(ResilientBlobStore.class,
                        r -> assertThat(r.delegate()).isSameAs(sealed));
            }
        }
        // stacked the other way round by the host: still neither layer twice
        try (FileSystemBlobStore store = FileSystemBlobStore.open(dir.resolve("d"))) {
            var both = ResilientBlobStore.wrap(PolicyBlobStore.wrap(store, config.storagePolicy()),
                    new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
            try (Aar aar = Aar.builder().config(config).blobStore(both).build()) {
                assertThat(aar.blobStore()).isSameAs(both);
            }
        }
    }

    @Test
    void aSearchThatAsksFailsFastWhileTheEmbeddingBreakerIsOpen() {
        try (Aar aar = Aar.builder().dataDirectory(dir).embeddingProvider(new ThrottlingProvider()).build()) {
            ResilientEmbeddingProvider provider = (ResilientEmbeddingProvider) aar.embeddingProvider();
            aar.pipelines().get(EmbeddingPipeline.NAME).circuitBreaker().orElseThrow().transitionToOpenState();

            assertThatThrownBy(() -> provider.embedFailFast(List.of("query")))
                    .isInstanceOfSatisfying(EmbeddingProviderException.class, e -> assertThat(e.statusCode()).isZero())
                    .hasMessageContaining("circuit breaker is open");
        }
    }

    @Test
    void optingOutIsPerLayerAndExplicit() {
        try (FileSystemBlobStore store = FileSystemBlobStore.open(dir.resolve("b"))) {
            ThrottlingProvider provider = new ThrottlingProvider();
            try (Aar aar = Aar.builder().blobStore(store).embeddingProvider(provider)
                    .skip(Aar.Layer.STORAGE_POLICY, "the bucket encrypts with a managed key")
                    .skip(Aar.Layer.EMBEDDING_PIPELINE, "the gateway retries").build()) {
                assertThat(aar.embeddingProvider()).isSameAs(provider);
                assertThat(aar.blobStore()).isInstanceOfSatisfying(ResilientBlobStore.class,
                        r -> assertThat(r.delegate()).isSameAs(store));
            }
            try (Aar aar = Aar.builder().blobStore(store).skip(Aar.Layer.STORAGE_POLICY, "tests")
                    .skip(Aar.Layer.BLOB_STORAGE_PIPELINE, "local disk").build()) {
                assertThat(aar.blobStore()).isSameAs(store);
            }
        }
        assertThatThrownBy(() -> Aar.builder().skip(Aar.Layer.STORAGE_POLICY, " "))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theStartUpLogSaysWhatWasSkippedAndWhy() {
        // slf4j-simple writes each line to the System.err of the moment
        java.io.PrintStream original = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(log, true, StandardCharsets.UTF_8));
        try (FileSystemBlobStore store = FileSystemBlobStore.open(dir.resolve("b"));
                Aar aar = Aar.builder().blobStore(store).embeddingProvider(new ThrottlingProvider())
                        .skip(Aar.Layer.STORAGE_POLICY, "the bucket encrypts with a managed key")
                        .skip(Aar.Layer.EMBEDDING_PIPELINE, "the gateway retries").build()) {
            assertThat(aar.blobStore()).isNotNull();
        } finally {
            System.setErr(original);
        }
        assertThat(log.toString(StandardCharsets.UTF_8))
                .contains("without the StoragePolicy (encryption on, compression on; opted out: the bucket encrypts with a managed key)")
                .contains("ThrottlingProvider is used without a resilience pipeline")
                .contains("opted out: the gateway retries")
                .contains("with BlobStoragePipeline");
    }

    @Test
    void encryptionWithoutAKeyOrADataDirectoryIsRefusedRatherThanLosingTheKey() {
        try (FileSystemBlobStore store = FileSystemBlobStore.open(dir.resolve("b"))) {
            assertThatThrownBy(() -> Aar.builder().blobStore(store).build()).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("EncryptionKey").hasMessageContaining("dataDirectory")
                    .hasMessageContaining("STORAGE_POLICY");
            // with a data directory the key is kept there, as for the embedded default
            try (Aar aar = Aar.builder().blobStore(store).dataDirectory(dir.resolve("data")).build()) {
                assertThat(aar.blobStore()).isInstanceOfSatisfying(PolicyBlobStore.class, p -> assertThat(p.encrypts()).isTrue());
            }
            assertThat(dir.resolve("data/storage.key")).exists();
        }
    }

    static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** A zip whose entries are stored uncompressed, so their text and names would show in the raw bytes. */
    static byte[] storedZip(int files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < files; i++) {
                StringBuilder text = new StringBuilder("package canary;\n\n/** " + CANARY + " " + i + " */\npublic class "
                        + CANARY + i + " {\n");
                for (int m = 0; m < 30; m++) {
                    text.append("    int method").append(m).append("(int x) { return x * ").append(m + i).append("; }\n\n");
                }
                byte[] data = text.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
                ZipEntry e = new ZipEntry("src/canary/" + CANARY + i + ".java");
                e.setMethod(ZipEntry.STORED);
                e.setSize(data.length);
                CRC32 crc = new CRC32();
                crc.update(data);
                e.setCrc(crc.getValue());
                zip.putNextEntry(e);
                zip.write(data);
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A host's provider that answers 429 (Retry-After 10 ms) on every third call. */
    static final class ThrottlingProvider implements EmbeddingProvider {
        private final OfflineEmbeddingProvider offline = OfflineEmbeddingProvider.create();
        private final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger throttled = new AtomicInteger();
        boolean closed;

        @Override
        public EmbeddingModel model() {
            return offline.model();
        }

        @Override
        public EmbeddingResult embed(List<String> inputs) {
            if (calls.incrementAndGet() % 3 == 0) {
                throttled.incrementAndGet();
                throw new EmbeddingProviderException("rate limited", 429, Duration.ofMillis(10), null);
            }
            return offline.embed(inputs);
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public String toString() {
            return "ThrottlingProvider";
        }
    }
}
