package dev.aar.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import dev.aar.core.testing.RequiredService;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@link AzureBlobStore#abortParts} racing another writer on Azurite: the other writer's commit is
 * slipped in just before one of the abort's own requests, and must survive it; and an abort cut off
 * half-way is finished by its retry.
 */
class AzureBlobStoreAbortRaceTest {

    static final String OTHER = "the other writer's blob";

    final String containerName = Azurite.newContainerName();
    final BlobContainerClient raw = Azurite.rawClient(containerName);
    /** Which request of the abort the other writer's commit goes just before; fires once. */
    final AtomicReference<Predicate<HttpRequest>> trigger = new AtomicReference<>();
    /** Which request fails, once, as if the connection dropped before it reached the service. */
    final AtomicReference<Predicate<HttpRequest>> drop = new AtomicReference<>();
    AzureBlobStore store;
    String key;
    String upload;

    @BeforeAll
    static void requireAzurite() {
        RequiredService.requireAzurite();
    }

    @BeforeEach
    void open() {
        BlobContainerClient client = new BlobContainerClientBuilder().connectionString(Azurite.CONNECTION_STRING)
                .containerName(containerName).addPolicy(new OtherWriterFirst())
                // one try per request, as AzureBlobStore.create builds it and docs/azure.md asks of hosts
                .retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, 1, Duration.ofSeconds(30), null, null, null))
                .buildClient();
        store = AzureBlobStore.of(client, AzureBlobStoreConfig.builder(Azurite.CONNECTION_STRING)
                .container(containerName).build());
        key = "uploads/" + UUID.randomUUID();
        upload = UUID.randomUUID().toString();
    }

    @AfterEach
    void drop() {
        raw.deleteIfExists();
    }

    @Test
    void aWriterThatCommitsBeforeTheReCommitIsNotOverwritten() throws IOException {
        store.put(key, new ByteArrayInputStream("old".getBytes(StandardCharsets.UTF_8)));
        store.stagePart(key, upload, 1, new ByteArrayInputStream(new byte[] {1}));
        trigger.set(r -> r.getHttpMethod() == HttpMethod.PUT && r.getUrl().getQuery().contains("comp=blocklist")
                && r.getHeaders().getValue("If-Match") != null);

        store.abortParts(key, upload);

        assertThat(trigger.get()).as("the race was staged").isNull();
        assertAbortedAndTheOtherWriterWon();
    }

    @Test
    void aWriterThatCreatesTheBlobBeforeTheEmptyCommitIsNotOverwritten() throws IOException {
        store.stagePart(key, upload, 1, new ByteArrayInputStream(new byte[] {1}));
        trigger.set(r -> r.getHttpMethod() == HttpMethod.PUT && r.getUrl().getQuery().contains("comp=blocklist")
                && "*".equals(r.getHeaders().getValue("If-None-Match")));

        store.abortParts(key, upload);

        assertThat(trigger.get()).isNull();
        assertAbortedAndTheOtherWriterWon();
    }

    @Test
    void aWriterThatCommitsBetweenTheEmptyCommitAndItsDeleteIsNotDeleted() throws IOException {
        store.stagePart(key, upload, 1, new ByteArrayInputStream(new byte[] {1}));
        trigger.set(r -> r.getHttpMethod() == HttpMethod.DELETE);

        store.abortParts(key, upload);

        assertThat(trigger.get()).isNull();
        assertAbortedAndTheOtherWriterWon();
    }

    @Test
    void anAbortWhoseDeleteFailedLeavesAPlaceholderThatTheRetryRemoves() {
        store.stagePart(key, upload, 1, new ByteArrayInputStream(new byte[] {1}));
        drop.set(r -> r.getHttpMethod() == HttpMethod.DELETE);

        assertThatThrownBy(() -> store.abortParts(key, upload)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot abort upload " + upload);
        assertThat(store.stat(key)).as("the empty placeholder is visible until the retry")
                .get().extracting(dev.aar.storage.BlobInfo::size).isEqualTo(0L);

        store.abortParts(key, upload); // what the core's BlobStoragePipeline does next

        assertThat(store.exists(key)).isFalse();
        assertThatThrownBy(() -> store.commitParts(key, upload, List.of(1)))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("part 1 was never staged");
    }

    private void assertAbortedAndTheOtherWriterWon() throws IOException {
        try (InputStream in = store.get(key).orElseThrow()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(OTHER);
        }
        assertThat(raw.getBlobClient(key).getBlockBlobClient().listBlocks(BlockListType.UNCOMMITTED)
                .getUncommittedBlocks()).isEmpty();
        assertThatThrownBy(() -> store.commitParts(key, upload, List.of(1)))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("part 1 was never staged");
    }

    /** Lets the other writer replace the blob, through its own client, right before the triggering request. */
    private final class OtherWriterFirst implements HttpPipelinePolicy {

        @Override
        public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
            return Mono.fromRunnable(() -> maybeWrite(context.getHttpRequest()))
                    .subscribeOn(Schedulers.boundedElastic()).then(next.process());
        }

        @Override
        public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
            maybeWrite(context.getHttpRequest());
            return next.processSync();
        }

        private void maybeWrite(HttpRequest request) {
            Predicate<HttpRequest> failing = drop.get();
            if (failing != null && failing.test(request) && drop.compareAndSet(failing, null)) {
                throw new UncheckedIOException(new IOException("connection reset (injected by the test)"));
            }
            Predicate<HttpRequest> when = trigger.get();
            if (when != null && when.test(request) && trigger.compareAndSet(when, null)) {
                raw.getBlobClient(key).upload(BinaryData.fromString(OTHER), true);
            }
        }
    }
}
