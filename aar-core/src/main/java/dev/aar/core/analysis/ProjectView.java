package dev.aar.core.analysis;

import dev.aar.embedding.ScoredChunk;
import java.util.List;

/**
 * A read-only view of one project for analyzers: its indexable files and, when the project was
 * indexed, its chunks and a semantic search over their embeddings.
 */
public interface ProjectView {

    /** Returns the project's id. */
    String projectId();

    /** Returns the indexable files, sorted by path. */
    List<SourceFile> files();

    /** Returns whether {@link #search} can answer (the project has embeddings and a query embedder). */
    default boolean isSearchable() {
        return false;
    }

    /**
     * Returns the {@code k} chunks whose embeddings are closest to {@code query}, best first; empty
     * when the view is not {@linkplain #isSearchable() searchable}.
     */
    default List<ScoredChunk> search(String query, int k) {
        return List.of();
    }
}
