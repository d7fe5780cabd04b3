package dev.aar.core.embedding;

import dev.aar.embedding.EmbeddingModel;
import dev.aar.embedding.EmbeddingProvider;
import dev.aar.embedding.EmbeddingResult;
import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic embedding that needs no network, no model file and no key: code-aware feature
 * hashing into a few hundred dimensions, L2-normalised.
 *
 * <p>Each text is split into identifiers, each identifier into lowercased sub-tokens
 * ({@code parseHttpHeader}, {@code parse_http_header} → parse, http, header), and each sub-token into
 * character trigrams; every feature is hashed, with a random sign, into one of {@link #dimensions()}
 * buckets. Repeated features are dampened (log) and the vector is L2-normalised.
 *
 * <p>Good for: finding the code that uses the same names as the query ("where is the retry
 * backoff computed", "UploadSession finalize"), near-duplicate code, zero-setup demos and tests,
 * offline or air-gapped use. Identical text always gives the identical vector, on every machine.
 *
 * <p>Not good for: meaning without shared words (a query "authentication" will not find a method
 * called {@code checkPassword}), natural-language prose, cross-language matches, or anything a
 * trained model learns from context. Switch to a real model for those; vectors of different
 * models never mix, because the model name is stored with every vector.
 *
 * <p>Reports 0 tokens used: nothing is billed. Thread-safe.
 */
public final class OfflineEmbeddingProvider implements EmbeddingProvider {

    public static final int DEFAULT_DIMENSIONS = 384;
    /** Model names start with this and end with the dimensions, e.g. {@code aar-offline-v1-384}. */
    public static final String MODEL_PREFIX = "aar-offline-v1-";

    private final EmbeddingModel model;
    private final CodeFeatures features;

    private OfflineEmbeddingProvider(int dimensions) {
        if (dimensions < 16 || dimensions > 4096) {
            throw new IllegalArgumentException("dimensions = " + dimensions + " is out of range; allowed: 16..4096");
        }
        this.model = new EmbeddingModel(MODEL_PREFIX + dimensions, dimensions, 1_000_000, 10_000, Integer.MAX_VALUE, 0.0);
        this.features = new CodeFeatures(dimensions);
    }

    /** Returns a provider with {@link #DEFAULT_DIMENSIONS} dimensions. */
    public static OfflineEmbeddingProvider create() {
        return new OfflineEmbeddingProvider(DEFAULT_DIMENSIONS);
    }

    /** Returns a provider with {@code dimensions} dimensions (16..4096). */
    public static OfflineEmbeddingProvider withDimensions(int dimensions) {
        return new OfflineEmbeddingProvider(dimensions);
    }

    @Override
    public EmbeddingModel model() {
        return model;
    }

    /** Returns the number of dimensions of every vector. */
    public int dimensions() {
        return model.dimensions();
    }

    @Override
    public EmbeddingResult embed(List<String> inputs) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("inputs must not be empty");
        }
        List<float[]> vectors = new ArrayList<>(inputs.size());
        for (String input : inputs) {
            vectors.add(features.vector(input));
        }
        return new EmbeddingResult(vectors, 0);
    }

    /** Embeds one text, for queries. */
    public float[] embed(String text) {
        return features.vector(text);
    }
}
