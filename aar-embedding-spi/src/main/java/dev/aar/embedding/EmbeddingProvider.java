package dev.aar.embedding;

import java.util.List;

/**
 * Turns a batch of texts into vectors with one model.
 *
 * <p>Callers respect {@link #model()}'s limits; a provider may reject a batch that breaks them.
 * Failures are reported as {@link EmbeddingProviderException}. Implementations are safe for
 * concurrent use.
 */
public interface EmbeddingProvider extends AutoCloseable {

    /** Returns the facts about the model this provider uses. */
    EmbeddingModel model();

    /** Embeds {@code inputs} (non-empty, within the model's limits) in one request. */
    EmbeddingResult embed(List<String> inputs);

    /** Releases the provider's resources; the default does nothing. */
    @Override
    default void close() {
    }
}
