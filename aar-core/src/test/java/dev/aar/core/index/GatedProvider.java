package dev.aar.core.index;

import dev.aar.core.embedding.OfflineEmbeddingProvider;
import dev.aar.embedding.EmbeddingModel;
import dev.aar.embedding.EmbeddingProvider;
import dev.aar.embedding.EmbeddingResult;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Holds every request until the gate opens, counting requests started, in flight, and the most in flight at once. */
final class GatedProvider implements EmbeddingProvider {
    private final OfflineEmbeddingProvider offline = OfflineEmbeddingProvider.create();
    private final CountDownLatch gate;
    private final boolean swallowsInterrupts;
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();

    GatedProvider(CountDownLatch gate) {
        this(gate, false);
    }

    /** @param swallowsInterrupts fails an interrupted request without setting the interrupt flag again, as some HTTP clients do */
    GatedProvider(CountDownLatch gate, boolean swallowsInterrupts) {
        this.gate = gate;
        this.swallowsInterrupts = swallowsInterrupts;
    }

    @Override
    public EmbeddingModel model() {
        return offline.model();
    }

    @Override
    public EmbeddingResult embed(List<String> inputs) {
        started.incrementAndGet();
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            gate.await();
            return offline.embed(inputs);
        } catch (InterruptedException e) {
            if (!swallowsInterrupts) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException(e);
        } finally {
            inFlight.decrementAndGet();
        }
    }
}
