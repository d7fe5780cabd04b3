package dev.aar.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.config.AarConfig;
import dev.aar.core.config.EmbeddingProcessing;
import dev.aar.core.config.WorkerProcessing;
import dev.aar.core.embedding.OfflineEmbeddingProvider;
import dev.aar.core.embedding.ResilientEmbeddingProvider;
import dev.aar.core.index.IndexCursor;
import dev.aar.core.index.IndexingListener;
import dev.aar.core.index.IndexingResult;
import dev.aar.core.index.SourceFile;
import dev.aar.embedding.EmbeddingModel;
import dev.aar.embedding.EmbeddingProvider;
import dev.aar.embedding.EmbeddingResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AarEmbeddingTest {

    @TempDir
    Path dir;

    private static List<SourceFile> files(int count) {
        List<SourceFile> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder text = new StringBuilder("package demo;\n\npublic class Upload" + i + " {\n");
            for (int m = 0; m < 40; m++) {
                text.append("    public int retryBackoff").append(m).append("(int attempt) { return attempt * ").append(m)
                        .append("; }\n\n");
            }
            files.add(new SourceFile("src/demo/Upload" + i + ".java", text.append("}\n").toString()));
        }
        return files;
    }

    @Test
    void theDefaultProviderIsTheResilientOfflineOneConfiguredFromTheInstance() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AarConfig config = AarConfig.defaults().toBuilder()
                .embeddingProcessing(EmbeddingProcessing.builder().maxChunkSizeTokens(200).overlapTokens(20)
                        .tokensPerMinute(1_000_000).build())
                .workerProcessing(WorkerProcessing.builder().checkpointIntervalFiles(2).build())
                .build();
        try (Aar aar = Aar.builder().dataDirectory(dir).config(config).meterRegistry(meters).build()) {
            assertThat(aar.embeddingProvider()).isInstanceOf(ResilientEmbeddingProvider.class);
            assertThat(aar.embeddingProvider().model().name()).startsWith(OfflineEmbeddingProvider.MODEL_PREFIX);
            ResilientEmbeddingProvider resilient = (ResilientEmbeddingProvider) aar.embeddingProvider();
            assertThat(resilient.pipeline().config().tokensPerMinute()).isEqualTo(1_000_000);
            assertThat(aar.indexer()).isSameAs(aar.indexer());
            assertThat(aar.indexer().chunker().maxTokens()).isEqualTo(200);
            assertThat(aar.indexer().chunker().overlapTokens()).isEqualTo(20);

            List<IndexCursor> checkpoints = new ArrayList<>();
            IndexingResult result = aar.indexer().index("p", files(5), IndexCursor.START, new IndexingListener() {
                @Override
                public void onCheckpoint(IndexCursor cursor) {
                    checkpoints.add(cursor);
                }
            });

            assertThat(result.totals().chunksStored()).isPositive();
            assertThat(aar.embeddingStore().count("p")).isEqualTo(result.totals().chunksStored());
            assertThat(aar.embeddingStore().search("p", OfflineEmbeddingProvider.create().embed("retryBackoff7 attempt"), 1))
                    .singleElement().satisfies(hit -> assertThat(hit.chunk().file()).startsWith("src/demo/Upload"));
            assertThat(checkpoints).extracting(IndexCursor::filesDone).containsExactly(2, 4, 5);
            assertThat(meters.counter("aar.embeddings.created").count()).isEqualTo(result.totals().chunksEmbedded());
            assertThat(meters.getMeters()).anySatisfy(m -> assertThat(m.getId().getName()).startsWith("resilience4j"));
        }
    }

    @Test
    void aHostProviderGetsTheEmbeddingPipelineAndIsLeftOpen() {
        CountingProvider host = new CountingProvider();
        try (Aar aar = Aar.builder().dataDirectory(dir).embeddingProvider(host).build()) {
            assertThat(aar.embeddingProvider()).isInstanceOf(ResilientEmbeddingProvider.class);
            assertThat(aar.embeddingProvider().model()).isEqualTo(host.model());

            IndexingResult result = aar.indexer().index("p", files(3));

            assertThat(host.inputs.get()).isEqualTo(result.totals().chunksEmbedded()).isPositive();
            assertThat(aar.embeddingStore().count("p")).isEqualTo(result.totals().chunksStored());
        }
        assertThat(host.closed.get()).isFalse();
    }

    /** A host's provider: embeds offline and counts what it was asked for. */
    private static final class CountingProvider implements EmbeddingProvider {
        private final OfflineEmbeddingProvider offline = OfflineEmbeddingProvider.withDimensions(32);
        final AtomicInteger inputs = new AtomicInteger();
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public EmbeddingModel model() {
            return offline.model();
        }

        @Override
        public EmbeddingResult embed(List<String> texts) {
            inputs.addAndGet(texts.size());
            return offline.embed(texts);
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }
}
