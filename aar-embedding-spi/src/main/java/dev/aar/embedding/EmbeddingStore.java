package dev.aar.embedding;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Keeps the vectors of projects' chunks and answers similarity queries within one project.
 *
 * <p>Implementations are safe for concurrent use. Store failures surface as
 * {@link java.io.UncheckedIOException}.
 */
public interface EmbeddingStore {

    /** Inserts or replaces chunks, keyed by (projectId, chunkId). */
    void upsert(List<EmbeddedChunk> chunks);

    /** Returns the {@code k} chunks of {@code projectId} most cosine-similar to {@code query}, best first. */
    List<ScoredChunk> search(String projectId, float[] query, int k);

    /**
     * Returns the vectors already stored for any of {@code contentHashes} with {@code model}, in any
     * project, keyed by hash; lets indexing skip text it has embedded before.
     */
    Map<String, float[]> findVectors(String model, Collection<String> contentHashes);

    /**
     * Returns whether the store may hold any vector made by {@code model}, in any project. {@code false}
     * promises that {@link #findVectors} would find nothing for {@code model} at this moment, so indexing
     * need not look up text it has not met before in the same run (a first index of a project in a new
     * store). The default, {@code true}, promises nothing and keeps every look-up.
     */
    default boolean mayHoldVectors(String model) {
        return true;
    }

    /** Returns how many chunks {@code projectId} has. */
    long count(String projectId);

    /** Deletes every chunk of {@code projectId}; returns how many. */
    long deleteProject(String projectId);
}
