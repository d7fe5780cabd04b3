package dev.aar.embedding;

import java.util.Objects;

/**
 * Facts about the model behind an {@link EmbeddingProvider}.
 *
 * @param name model name, recorded with every stored vector (vectors of different models never mix)
 * @param dimensions length of every vector it returns
 * @param maxTokensPerInput longest input it accepts, in tokens
 * @param maxInputsPerRequest most inputs in one request
 * @param maxTokensPerRequest most tokens in one request, all inputs together
 * @param costPerMillionTokens price in the host's currency per million input tokens
 */
public record EmbeddingModel(
        String name,
        int dimensions,
        int maxTokensPerInput,
        int maxInputsPerRequest,
        int maxTokensPerRequest,
        double costPerMillionTokens) {

    public EmbeddingModel {
        Objects.requireNonNull(name, "name");
        if (dimensions < 1 || maxTokensPerInput < 1 || maxInputsPerRequest < 1 || maxTokensPerRequest < 1) {
            throw new IllegalArgumentException("model limits must be >= 1: " + name);
        }
        if (costPerMillionTokens < 0) {
            throw new IllegalArgumentException("costPerMillionTokens must be >= 0, was " + costPerMillionTokens);
        }
    }
}
