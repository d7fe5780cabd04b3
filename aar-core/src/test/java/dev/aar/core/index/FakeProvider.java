package dev.aar.core.index;

import dev.aar.core.embedding.OfflineEmbeddingProvider;
import dev.aar.core.tokens.Tokenizers;
import dev.aar.embedding.EmbeddingModel;
import dev.aar.embedding.EmbeddingProvider;
import dev.aar.embedding.EmbeddingProviderException;
import dev.aar.embedding.EmbeddingResult;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * A provider for tests: embeds offline, records every request, measures how many run at once,
 * and fails request n (counting from 1, failed attempts included) as {@code faults} says.
 */
final class FakeProvider implements EmbeddingProvider {

    record Call(int inputs, long tokens) {
    }

    private final OfflineEmbeddingProvider offline = OfflineEmbeddingProvider.withDimensions(64);
    private final EmbeddingModel model;
    private final long delayMillis;
    /** Decides a request's fault from the global attempt number, this batch's attempt number and the batch's key. */
    interface Faults {
        EmbeddingProviderException at(int attempt, int batchAttempt, int batchKey);
    }

    private volatile Faults faults = (n, b, k) -> null;
    private final java.util.Map<String, AtomicInteger> batchAttempts = new java.util.concurrent.ConcurrentHashMap<>();
    final List<Call> succeeded = new CopyOnWriteArrayList<>();
    final AtomicInteger attempts = new AtomicInteger();
    final AtomicLong tokens = new AtomicLong();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();

    FakeProvider(int maxInputsPerRequest, int maxTokensPerRequest, long delayMillis) {
        this.model = new EmbeddingModel("fake-64", 64, 8191, maxInputsPerRequest, maxTokensPerRequest, 0.02);
        this.delayMillis = delayMillis;
    }

    private volatile java.util.concurrent.CountDownLatch rendezvous = new java.util.concurrent.CountDownLatch(0);

    /**
     * Holds each of the first {@code parties} requests until all of them are in flight together (at
     * most a minute), so a test sees requests overlap by construction rather than by thread timing.
     */
    FakeProvider rendezvous(int parties) {
        this.rendezvous = new java.util.concurrent.CountDownLatch(parties);
        return this;
    }

    FakeProvider faults(IntFunction<EmbeddingProviderException> faults) {
        this.faults = (n, b, k) -> faults.apply(n);
        return this;
    }

    FakeProvider faults(Faults faults) {
        this.faults = faults;
        return this;
    }

    @Override
    public EmbeddingModel model() {
        return model;
    }

    @Override
    public EmbeddingResult embed(List<String> inputs) {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            int n = attempts.incrementAndGet();
            java.util.concurrent.CountDownLatch meet = rendezvous;
            if (meet.getCount() > 0) {
                meet.countDown();
                meet.await(1, java.util.concurrent.TimeUnit.MINUTES);
            }
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            String key = inputs.get(0);
            int batchAttempt = batchAttempts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            EmbeddingProviderException fault = faults.at(n, batchAttempt, key.hashCode() & 0x7fffffff);
            if (fault != null) {
                throw fault;
            }
            if (inputs.size() > model.maxInputsPerRequest()) {
                throw new EmbeddingProviderException(inputs.size() + " inputs", 400, null, null);
            }
            long t = inputs.stream().mapToLong(s -> Tokenizers.encoding("cl100k_base").countTokensOrdinary(s)).sum();
            if (t > model.maxTokensPerRequest()) {
                throw new EmbeddingProviderException(t + " tokens", 400, null, null);
            }
            succeeded.add(new Call(inputs.size(), t));
            tokens.addAndGet(t);
            return new EmbeddingResult(offline.embed(inputs).vectors(), t);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddingProviderException("interrupted", 0, null, e);
        } finally {
            inFlight.decrementAndGet();
        }
    }
}
