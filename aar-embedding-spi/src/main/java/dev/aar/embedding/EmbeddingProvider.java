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

    /**
     * Embeds {@code inputs} in one request, like {@link #embed(List)}, holding {@code slot} only while
     * the request is in flight. The default holds it for the whole of {@link #embed(List)}. A provider
     * that spends time of its own on a request (serializing its body, decoding the answer) overrides
     * this to do that work outside the slot: {@link RequestSlot#acquire()} right before it sends,
     * {@link RequestSlot#release()} once the answer is in, and release again on every path out
     * (releasing twice does nothing).
     *
     * @throws java.util.concurrent.CancellationException if interrupted while waiting for the slot
     */
    default EmbeddingResult embed(List<String> inputs, RequestSlot slot) {
        slot.acquire();
        try {
            return embed(inputs);
        } finally {
            slot.release();
        }
    }

    /** Releases the provider's resources; the default does nothing. */
    @Override
    default void close() {
    }
}
