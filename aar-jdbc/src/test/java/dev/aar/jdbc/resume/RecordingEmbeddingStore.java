package dev.aar.jdbc.resume;

import dev.aar.embedding.EmbeddedChunk;
import dev.aar.embedding.EmbeddingStore;
import dev.aar.embedding.ScoredChunk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * An {@link EmbeddingStore} that appends the file of every chunk it stored to a log, one line each,
 * after the store accepted it: the files a node really (re)indexed, whether their vectors were
 * new or reused by content hash.
 */
final class RecordingEmbeddingStore implements EmbeddingStore {

    private final EmbeddingStore delegate;
    private final Path log;

    RecordingEmbeddingStore(EmbeddingStore delegate, Path log) {
        this.delegate = delegate;
        this.log = log;
    }

    @Override
    public void upsert(List<EmbeddedChunk> chunks) {
        delegate.upsert(chunks);
        StringBuilder lines = new StringBuilder();
        chunks.forEach(c -> lines.append(c.file()).append('\n'));
        try {
            Files.writeString(log, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + log, e);
        }
    }

    @Override
    public List<ScoredChunk> search(String projectId, float[] query, int k) {
        return delegate.search(projectId, query, k);
    }

    @Override
    public Map<String, float[]> findVectors(String model, Collection<String> contentHashes) {
        return delegate.findVectors(model, contentHashes);
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
