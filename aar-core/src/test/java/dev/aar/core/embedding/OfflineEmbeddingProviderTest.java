package dev.aar.core.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.index.Indexer;
import dev.aar.core.index.SourceFile;
import dev.aar.core.memory.InMemoryEmbeddingStore;
import dev.aar.embedding.ScoredChunk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class OfflineEmbeddingProviderTest {

    private final OfflineEmbeddingProvider offline = OfflineEmbeddingProvider.create();

    @Test
    void vectorsAreDeterministicNormalisedAndOfTheModelsSize() {
        float[] a = offline.embed("public long put(String key, InputStream data)");
        float[] b = offline.embed("public long put(String key, InputStream data)");
        assertThat(a).hasSize(384).isEqualTo(b);
        double norm = 0;
        for (float x : a) {
            norm += x * x;
        }
        assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(offline.model().name()).isEqualTo("aar-offline-v1-384");
        assertThat(offline.embed(List.of("x y")).tokensUsed()).isZero();
    }

    @Test
    void camelCaseAndSnakeCaseMeetInTheSameSubTokens() {
        float[] camel = offline.embed("parseHttpHeader");
        float[] snake = offline.embed("parse_http_header");
        float[] other = offline.embed("renderPdfInvoice");
        assertThat(cosine(camel, snake)).isGreaterThan(0.9);
        assertThat(cosine(camel, other)).isLessThan(0.3);
    }

    @Test
    void ranksTheRightFileFirstForSimpleCodeQueries() {
        List<SourceFile> files = mainSources();
        InMemoryEmbeddingStore store = new InMemoryEmbeddingStore();
        Indexer.builder(offline, store).build().index("self", files);

        assertThat(top("chunk overlap token boundary blank line", store)).endsWith("index/Chunker.java");
        assertThat(top("circuit breaker half open wait retry backoff", store)).endsWith("resilience/ResiliencePipeline.java");
        assertThat(top("camelCase snake_case identifier trigram hashing", store)).endsWith("embedding/CodeFeatures.java");
        assertThat(top("resume cursor filesDone lastFile", store)).contains("index/");
    }

    private String top(String query, InMemoryEmbeddingStore store) {
        List<ScoredChunk> hits = store.search("self", offline.embed(query), 1);
        return hits.get(0).chunk().file();
    }

    private static List<SourceFile> mainSources() {
        Path root = Path.of("src/main/java");
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(p -> p.toString().endsWith(".java")).sorted().map(p -> {
                try {
                    return new SourceFile(root.relativize(p).toString().replace('\\', '/'), Files.readString(p));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }
}
