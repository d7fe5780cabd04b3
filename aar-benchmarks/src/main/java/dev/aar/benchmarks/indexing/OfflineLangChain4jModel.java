package dev.aar.benchmarks.indexing;

import dev.aar.core.embedding.OfflineEmbeddingProvider;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Our {@link OfflineEmbeddingProvider} as a LangChain4j {@link EmbeddingModel}, counting the segments it embeds. */
final class OfflineLangChain4jModel implements EmbeddingModel {

    private final OfflineEmbeddingProvider offline;
    final AtomicLong segments = new AtomicLong();

    OfflineLangChain4jModel(OfflineEmbeddingProvider offline) {
        this.offline = offline;
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> textSegments) {
        List<String> texts = new ArrayList<>(textSegments.size());
        textSegments.forEach(s -> texts.add(s.text()));
        List<Embedding> embeddings = new ArrayList<>(texts.size());
        offline.embed(texts).vectors().forEach(v -> embeddings.add(Embedding.from(v)));
        segments.addAndGet(texts.size());
        return Response.from(embeddings);
    }

    @Override
    public int dimension() {
        return offline.dimensions();
    }

    @Override
    public String modelName() {
        return offline.model().name();
    }
}
