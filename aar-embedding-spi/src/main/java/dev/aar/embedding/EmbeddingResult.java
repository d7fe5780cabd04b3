package dev.aar.embedding;

import java.util.List;

/**
 * Vectors for a batch of inputs, in input order, and the tokens the provider says it consumed.
 *
 * @param vectors one vector per input, in the same order
 * @param tokensUsed tokens billed for the request
 */
public record EmbeddingResult(List<float[]> vectors, long tokensUsed) {
    public EmbeddingResult {
        vectors = List.copyOf(vectors);
        if (tokensUsed < 0) {
            throw new IllegalArgumentException("tokensUsed must be >= 0, was " + tokensUsed);
        }
    }
}
