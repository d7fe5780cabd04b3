package dev.aar.core.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.config.EmbeddingProcessing;
import dev.aar.core.embedding.ResilientEmbeddingProvider;
import dev.aar.core.memory.InMemoryEmbeddingStore;
import dev.aar.core.resilience.EmbeddingPipeline;
import dev.aar.embedding.EmbeddingProviderException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Indexing through a {@link ResilientEmbeddingProvider} over a provider that misbehaves in every usual way loses no chunk. */
class FaultyProviderIndexingTest {

    private static final List<SourceFile> FILES = RealSources.repository().subList(0, 40);

    @Test
    void throttlingServerErrorsTimeoutsAndAnOutageLoseNoChunk() {
        // every batch's first attempt fails (429 with Retry-After, 500 or a timeout, by batch), and
        // attempts 40..99 of the whole run all fail: an outage lasting several break windows
        FakeProvider faulty = new FakeProvider(50, 100_000, 2).faults((n, batchAttempt, key) -> {
            if (n >= 40 && n < 100) {
                return new EmbeddingProviderException("outage", 503, null, null);
            }
            if (batchAttempt > 1) {
                return null;
            }
            return switch (key % 3) {
                case 0 -> new EmbeddingProviderException("rate limited", 429, Duration.ofMillis(20), null);
                case 1 -> new EmbeddingProviderException("internal error", 500, null, null);
                default -> new EmbeddingProviderException("read timed out", 0, null, null);
            };
        });
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ResilientEmbeddingProvider resilient = ResilientEmbeddingProvider.builder(faulty)
                .config(EmbeddingPipeline.config().toBuilder()
                        .initialBackoff(Duration.ofMillis(2)).maxBackoff(Duration.ofMillis(20))
                        // a breaker of 3 rather than 5: one caller can then spend at most 2 retries on the outage
                        // before it opens, plus 1 on its batch's own fault, within the spec's 3
                        .breakerFailureThreshold(3)
                        .breakDuration(Duration.ofMillis(40)).totalTimeout(Duration.ofSeconds(20)).build())
                .meterRegistry(meters).build();
        InMemoryEmbeddingStore store = new InMemoryEmbeddingStore();
        Indexer indexer = Indexer.builder(resilient, store).meterRegistry(meters)
                .embeddingProcessing(EmbeddingProcessing.builder().maxChunkSizeTokens(128).overlapTokens(16)
                        .batchSize(8).maxConcurrency(4).build())
                .build();

        IndexingResult result = indexer.index("p", FILES);

        Set<String> expected = new HashSet<>();
        FILES.forEach(f -> indexer.chunker().chunk(f).forEach(c -> expected.add(c.chunkId())));
        assertThat(store.count("p")).isEqualTo(expected.size());
        assertThat(result.totals().chunksStored()).isEqualTo(expected.size());
        assertThat(faulty.attempts.get()).isGreaterThan(faulty.succeeded.size() + 60);
        assertThat(meters.find("resilience4j.circuitbreaker.not.permitted.calls").counter()).isNotNull();
        assertThat(meters.counter("aar.tokens.consumed").count()).isEqualTo(faulty.tokens.get());
    }

    @Test
    void aBadRequestIsNotRetried() {
        FakeProvider faulty = new FakeProvider(50, 100_000, 0)
                .faults(n -> new EmbeddingProviderException("input too long", 400, null, null));
        ResilientEmbeddingProvider resilient = ResilientEmbeddingProvider.builder(faulty).build();
        try {
            resilient.embed(List.of("a", "b"));
        } catch (EmbeddingProviderException e) {
            assertThat(e.statusCode()).isEqualTo(400);
        }
        assertThat(faulty.attempts).hasValue(1);
    }
}
