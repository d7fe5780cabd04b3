package dev.aar.embedding;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/** An embedding store that forwards every call to another; tests override the calls they watch or hold. */
public class ForwardingEmbeddingStore implements EmbeddingStore {
    private final EmbeddingStore delegate;

    public ForwardingEmbeddingStore(EmbeddingStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public void upsert(List<EmbeddedChunk> chunks) {
        delegate.upsert(chunks);
    }

    @Override
    public List<ScoredChunk> search(String projectId, float[] query, int k) {
        return delegate.search(projectId, query, k);
    }

    @Override
    public Map<String, float[]> findVectors(String model, Collection<String> hashes) {
        return delegate.findVectors(model, hashes);
    }

    @Override
    public boolean mayHoldVectors(String model) {
        return delegate.mayHoldVectors(model);
    }

    @Override
    public long count(String projectId) {
        return delegate.count(projectId);
    }

    @Override
    public long deleteProject(String projectId) {
        return delegate.deleteProject(projectId);
    }
}
