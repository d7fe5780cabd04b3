package dev.aar.core.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.resilience.EmbeddingPipeline;
import dev.aar.embedding.EmbeddingModel;
import dev.aar.embedding.EmbeddingProvider;
import dev.aar.embedding.EmbeddingProviderContract.CountingSlot;
import dev.aar.embedding.EmbeddingProviderException;
import dev.aar.embedding.EmbeddingResult;
import dev.aar.embedding.RequestSlot;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The decorator hands the caller's request slot to every attempt; what happens between attempts holds none. */
class ResilientEmbeddingProviderSlotTest {

    private final OfflineEmbeddingProvider offline = OfflineEmbeddingProvider.create();

    @Test
    void everyAttemptTakesTheSlotAgainAndABackoffHoldsNone() {
        CountingSlot slot = new CountingSlot();
        List<Boolean> heldWhenAnAttemptBegan = new CopyOnWriteArrayList<>();
        EmbeddingProvider busyTwice = new EmbeddingProvider() {
            @Override
            public EmbeddingModel model() {
                return offline.model();
            }

            @Override
            public EmbeddingResult embed(List<String> inputs) {
                throw new AssertionError("the decorator passes the slot on");
            }

            @Override
            public EmbeddingResult embed(List<String> inputs, RequestSlot s) {
                heldWhenAnAttemptBegan.add(slot.holds());
                s.acquire();
                try {
                    if (heldWhenAnAttemptBegan.size() < 3) {
                        throw new EmbeddingProviderException("busy", 503, null, null);
                    }
                    return offline.embed(inputs);
                } finally {
                    s.release();
                }
            }
        };
        ResilientEmbeddingProvider resilient = ResilientEmbeddingProvider.builder(busyTwice)
                .config(EmbeddingPipeline.config().toBuilder().maxRetries(3).initialBackoff(Duration.ofMillis(1))
                        .maxBackoff(Duration.ofMillis(5)).build())
                .build();

        EmbeddingResult result = resilient.embed(List.of("a", "b"), slot);

        assertThat(result.vectors()).hasSize(2);
        assertThat(heldWhenAnAttemptBegan).containsExactly(false, false, false);
        assertThat(slot.acquired()).isEqualTo(3);
        assertThat(slot.holds()).isFalse();
        resilient.close();
    }

    @Test
    void withoutASlotTheDelegateGetsOneThatNeverWaits() {
        List<RequestSlot> given = new CopyOnWriteArrayList<>();
        EmbeddingProvider recording = new EmbeddingProvider() {
            @Override
            public EmbeddingModel model() {
                return offline.model();
            }

            @Override
            public EmbeddingResult embed(List<String> inputs) {
                return offline.embed(inputs);
            }

            @Override
            public EmbeddingResult embed(List<String> inputs, RequestSlot s) {
                given.add(s);
                return EmbeddingProvider.super.embed(inputs, s);
            }
        };
        ResilientEmbeddingProvider resilient = ResilientEmbeddingProvider.builder(recording).build();

        assertThat(resilient.embed(List.of("a")).vectors()).hasSize(1);
        assertThat(resilient.embed(List.of("a"), 1).vectors()).hasSize(1);

        assertThat(given).containsExactly(RequestSlot.unlimited(), RequestSlot.unlimited());
        resilient.close();
    }
}
