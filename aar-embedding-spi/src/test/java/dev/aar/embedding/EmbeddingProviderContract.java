package dev.aar.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link EmbeddingProvider} promises; a provider's test extends this and supplies a
 * fresh provider per test (for a remote model, one pointed at a fake or a test deployment).
 *
 * <p>Vectors are compared by direction (cosine), not bit for bit: a remote model may differ in the last
 * digits between calls.
 */
public abstract class EmbeddingProviderContract {

    /** Returns a new provider; it is closed after each test. */
    protected abstract EmbeddingProvider createProvider() throws Exception;

    protected EmbeddingProvider provider;

    @BeforeEach
    void openProvider() throws Exception {
        provider = createProvider();
    }

    @AfterEach
    void closeProvider() {
        if (provider != null) {
            provider.close();
        }
    }

    @Test
    void theModelNamesItselfAndItsLimits() {
        EmbeddingModel model = provider.model();

        assertThat(model.name()).isNotBlank();
        assertThat(model.dimensions()).isPositive();
        assertThat(model.maxInputsPerRequest()).isPositive();
        assertThat(model.maxTokensPerRequest()).isGreaterThanOrEqualTo(model.maxTokensPerInput());
        assertThat(provider.model()).as("the model does not change").isEqualTo(model);
    }

    @Test
    void oneVectorPerInputInTheOrderGivenOfTheModelsDimensions() {
        List<String> inputs = List.of("class OrderService { void place(Order o) {} }", "SELECT * FROM invoices",
                "def parse(line): return line.split(',')");

        EmbeddingResult result = provider.embed(inputs);

        assertThat(result.vectors()).hasSize(inputs.size());
        for (float[] v : result.vectors()) {
            assertThat(v).hasSize(provider.model().dimensions());
            for (float x : v) {
                assertThat(Float.isFinite(x)).as("every component is finite").isTrue();
            }
        }
        assertThat(result.tokensUsed()).isNotNegative();
        // order: each vector belongs to its input, whatever else is in the batch
        List<float[]> alone = new ArrayList<>();
        for (String input : inputs) {
            alone.add(provider.embed(List.of(input)).vectors().get(0));
        }
        for (int i = 0; i < inputs.size(); i++) {
            assertThat(cosine(result.vectors().get(i), alone.get(i))).as("input %d", i).isGreaterThan(0.99);
        }
    }

    @Test
    void aFullBatchAtTheModelsInputLimitIsAccepted() {
        int n = Math.min(provider.model().maxInputsPerRequest(), 64);
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            inputs.add("int f" + i + "(int x) { return x + " + i + "; }");
        }

        assertThat(provider.embed(inputs).vectors()).hasSize(n);
    }

    @Test
    void unicodeAndWhitespaceInputsAreEmbedded() {
        EmbeddingResult result = provider.embed(List.of("  \n\t ", "Grüße, 世界 — ✓", "x"));

        assertThat(result.vectors()).hasSize(3).allSatisfy(v -> assertThat(v).hasSize(provider.model().dimensions()));
    }

    @Test
    void concurrentCallersEachGetTheirOwnVectors() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            List<String> inputs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String input = "record Event" + i + "(String id, long at) {}";
                inputs.add(input);
                Callable<float[]> call = () -> provider.embed(List.of(input)).vectors().get(0);
                futures.add(pool.submit(call));
            }
            for (int i = 0; i < inputs.size(); i++) {
                float[] expected = provider.embed(List.of(inputs.get(i))).vectors().get(0);
                assertThat(cosine(futures.get(i).get(60, TimeUnit.SECONDS), expected)).isGreaterThan(0.99);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRequestSlotIsTakenOnceAndGivenBackWithTheSameVectors() {
        List<String> inputs = List.of("record Invoice(String id, long cents) {}", "fn main() { println!(\"hi\"); }");
        CountingSlot slot = new CountingSlot();

        EmbeddingResult result = provider.embed(inputs, slot);

        assertThat(slot.acquired()).as("places taken").isEqualTo(1);
        assertThat(slot.holds()).as("still held after the call").isFalse();
        List<float[]> plain = provider.embed(inputs).vectors();
        assertThat(result.vectors()).hasSize(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            assertThat(cosine(result.vectors().get(i), plain.get(i))).as("input %d", i).isGreaterThan(0.99);
        }
    }

    @Test
    void aRefusedBatchLeavesNoPlaceHeld() {
        CountingSlot slot = new CountingSlot();
        List<String> empty = List.of();

        try {
            provider.embed(empty, slot);
        } catch (RuntimeException expected) {
            // a provider may refuse an empty batch; what matters is the slot
        }

        assertThat(slot.holds()).isFalse();
    }

    /** Counts the places a provider takes; thread-safe, since a provider may hand the call to another thread. */
    public static final class CountingSlot implements RequestSlot {
        private final Runnable onAcquire;
        private int acquired;
        private boolean holds;

        public CountingSlot() {
            this(() -> { });
        }

        /** @param onAcquire runs each time a place is taken (to note what had happened by then) */
        public CountingSlot(Runnable onAcquire) {
            this.onAcquire = onAcquire;
        }

        @Override
        public synchronized void acquire() {
            if (!holds) {
                holds = true;
                acquired++;
                onAcquire.run();
            }
        }

        @Override
        public synchronized void release() {
            holds = false;
        }

        public synchronized int acquired() {
            return acquired;
        }

        public synchronized boolean holds() {
            return holds;
        }
    }

    @Test
    void closingTwiceIsHarmless() {
        provider.close();
        provider.close();
        provider = null;
    }

    /** Returns the cosine similarity of two vectors of the same length. */
    protected static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? (na == nb ? 1 : 0) : dot / Math.sqrt(na * nb);
    }
}
