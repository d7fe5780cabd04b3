package dev.aar.embedding;

import java.util.Objects;

/**
 * A chunk of a project's source with its vector, as kept by an {@link EmbeddingStore}.
 *
 * @param projectId the project it belongs to
 * @param chunkId stable id within the project (upserts replace by it)
 * @param model the embedding model's name
 * @param contentHash hex SHA-256 of the chunk text; equal text gives an equal hash
 * @param file path of the source file within the project
 * @param startLine first line of the chunk (1-based)
 * @param endLine last line of the chunk (inclusive)
 * @param text the chunk's text
 * @param vector the embedding
 */
public record EmbeddedChunk(
        String projectId,
        String chunkId,
        String model,
        String contentHash,
        String file,
        int startLine,
        int endLine,
        String text,
        float[] vector) {

    public EmbeddedChunk {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(chunkId, "chunkId");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(contentHash, "contentHash");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(vector, "vector");
    }
}
