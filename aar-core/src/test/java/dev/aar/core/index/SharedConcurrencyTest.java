package dev.aar.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aar.core.config.EmbeddingProcessing;
import dev.aar.core.memory.InMemoryEmbeddingStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code MaxConcurrency} is the embedding requests in flight per indexer (per node), shared by every job. */
class SharedConcurrencyTest {

    @Test
    void twoJobsIndexingAtOnceShareMaxConcurrency() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        GatedProvider provider = new GatedProvider(gate);
        Indexer indexer = Indexer.builder(provider, new InMemoryEmbeddingStore())
                .embeddingProcessing(EmbeddingProcessing.builder().maxConcurrency(2).batchSize(1).build())
                .chunkingThreads(1).build();

        CompletableFuture<IndexingResult> first = CompletableFuture.supplyAsync(() -> indexer.index("a", files("a")));
        CompletableFuture<IndexingResult> second = CompletableFuture.supplyAsync(() -> indexer.index("b", files("b")));
        try {
            // both jobs have requests ready, but only MaxConcurrency of them are sent; the rest wait their turn
            await().atMost(Duration.ofSeconds(20)).until(() -> provider.inFlight.get() == 2
                    && indexer.waitingForRequests.get() >= 2);
            assertThat(provider.inFlight.get()).isEqualTo(2);
        } finally {
            gate.countDown();
        }
        assertThat(first.get(60, TimeUnit.SECONDS).totals().chunksStored()).isPositive();
        assertThat(second.get(60, TimeUnit.SECONDS).totals().chunksStored()).isPositive();
        assertThat(provider.maxInFlight.get()).isEqualTo(2);
    }

    private static List<SourceFile> files(String prefix) {
        List<SourceFile> files = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            files.add(new SourceFile(prefix + "/F" + i + ".java", "class F" + i + " { int x = " + i + "; }\n"));
        }
        return files;
    }
}
