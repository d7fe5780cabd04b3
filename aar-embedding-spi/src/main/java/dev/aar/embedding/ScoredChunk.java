package dev.aar.embedding;

/**
 * A search hit.
 *
 * @param chunk the stored chunk
 * @param score cosine similarity to the query, in [-1, 1]
 */
public record ScoredChunk(EmbeddedChunk chunk, double score) {
}
