package dev.aar.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.aar.core.config.EmbeddingProcessing;
import dev.aar.core.memory.InMemoryEmbeddingStore;
import dev.aar.embedding.EmbeddedChunk;
import dev.aar.embedding.ForwardingEmbeddingStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The indexer keeps MaxConcurrency requests in flight: batches are cut ahead, stores and sources never hold a slot. */
class IndexingPipelineTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final InMemoryEmbeddingStore store = new InMemoryEmbeddingStore();

    @Test
    void withMaxConcurrencyFiveFiveRequestsAreInFlightBeforeAnyCompletes() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        GatedProvider provider = new GatedProvider(gate);
        Indexer indexer = oneChunkPerRequest(provider, store, 5);
        CompletableFuture<IndexingResult> run = CompletableFuture.supplyAsync(() -> indexer.index("p", files(20)));
        try {
            await().atMost(PATIENCE).until(() -> provider.inFlight.get() == 5);
            assertThat(provider.started.get()).isEqualTo(5);
            assertThat(store.count("p")).isZero();
        } finally {
            gate.countDown();
        }
        assertThat(run.get(60, TimeUnit.SECONDS).totals().chunksStored()).isEqualTo(20);
        assertThat(provider.maxInFlight.get()).isEqualTo(5);
        assertThat(store.count("p")).isEqualTo(20);
    }

    @Test
    void aStoreThatIsSlowToWriteDoesNotHoldRequestSlots() throws Exception {
        CountDownLatch storeGate = new CountDownLatch(1);
        GatedStore gated = new GatedStore(store, storeGate);
        FakeProvider provider = new FakeProvider(100, 100_000, 0);
        Indexer indexer = oneChunkPerRequest(provider, gated, 2);
        CompletableFuture<IndexingResult> run = CompletableFuture.supplyAsync(() -> indexer.index("p", files(40)));
        try {
            // with the store stuck in its first write, more requests than MaxConcurrency end: none waits for the store
            await().atMost(PATIENCE).until(() -> provider.attempts.get() > 2 + 1);
            assertThat(gated.returned.get()).isZero();
        } finally {
            storeGate.countDown();
        }
        IndexingResult result = run.get(60, TimeUnit.SECONDS);
        assertThat(result.totals().chunksStored()).isEqualTo(40);
        assertThat(result.cursor().filesDone()).isEqualTo(40);
        assertThat(store.count("p")).isEqualTo(40);
    }

    @Test
    void aSourceThatBlocksDoesNotHoldBackTheFilesItAlreadyYielded() throws Exception {
        CountDownLatch sourceGate = new CountDownLatch(1);
        List<SourceFile> all = files(6);
        // the first 3 files come at once, then the source blocks (files still being extracted)
        Iterable<SourceFile> source = blockingAfter(all, 3, sourceGate);
        FakeProvider provider = new FakeProvider(100, 100_000, 0);
        Indexer indexer = Indexer.builder(provider, store).embeddingProcessing(EmbeddingProcessing.defaults()).build();
        CompletableFuture<IndexingResult> run = CompletableFuture.supplyAsync(() -> indexer.index("p", source));
        try {
            await().atMost(PATIENCE).until(() -> store.count("p") == 3);
        } finally {
            sourceGate.countDown();
        }
        IndexingResult result = run.get(60, TimeUnit.SECONDS);
        assertThat(result.totals().chunksStored()).isEqualTo(6);
        assertThat(result.cursor()).isEqualTo(new IndexCursor(6, all.get(5).path()));
    }

    @Test
    void theWaitingForBatchesSignalIsUpOnlyWhileASenderHasNothingToSend() throws Exception {
        // busy senders with batches queued: down
        CountDownLatch gate = new CountDownLatch(1);
        GatedProvider provider = new GatedProvider(gate);
        Indexer busy = oneChunkPerRequest(provider, store, 2);
        java.util.concurrent.atomic.AtomicReference<java.util.function.BooleanSupplier> signal =
                new java.util.concurrent.atomic.AtomicReference<>();
        IndexingListener listening = new IndexingListener() {
            @Override
            public void onStarted(java.util.function.BooleanSupplier waitingForBatches) {
                signal.set(waitingForBatches);
            }
        };
        CompletableFuture<IndexingResult> run = CompletableFuture.supplyAsync(
                () -> busy.index("p", files(20), IndexCursor.START, listening));
        try {
            await().atMost(PATIENCE).until(() -> provider.inFlight.get() == 2 && signal.get() != null);
            assertThat(signal.get().getAsBoolean()).isFalse();
        } finally {
            gate.countDown();
        }
        run.get(60, TimeUnit.SECONDS);
        assertThat(signal.get().getAsBoolean()).as("after the run").isFalse();

        // every slot in flight and only the senders that work ahead waiting for a batch: down
        CountDownLatch slotsGate = new CountDownLatch(1);
        CountDownLatch moreFiles = new CountDownLatch(1);
        GatedProvider holding = new GatedProvider(slotsGate);
        Indexer full = oneChunkPerRequest(holding, store, 2);
        signal.set(null);
        // texts of their own: the store already has vectors for the files above, and would not send them
        List<SourceFile> fresh = files(4).stream().map(f -> new SourceFile(f.path(), "// r\n" + f.text())).toList();
        CompletableFuture<IndexingResult> ahead = CompletableFuture.supplyAsync(
                () -> full.index("r", blockingAfter(fresh, 2, moreFiles), IndexCursor.START, listening));
        try {
            await().atMost(PATIENCE).until(() -> holding.inFlight.get() == 2 && signal.get() != null);
            assertThat(signal.get().getAsBoolean()).isFalse();
            // both requests answered and nothing to send: the slots are idle, up
            slotsGate.countDown();
            await().atMost(PATIENCE).until(() -> store.count("r") == 2 && signal.get().getAsBoolean());
        } finally {
            slotsGate.countDown();
            moreFiles.countDown();
        }
        assertThat(ahead.get(60, TimeUnit.SECONDS).totals().chunksStored()).isEqualTo(4);

        // a source that has nothing more yet: the senders wait for a batch, up
        CountDownLatch sourceGate = new CountDownLatch(1);
        List<SourceFile> all = files(4);
        Iterable<SourceFile> source = blockingAfter(all, 2, sourceGate);
        Indexer idle = oneChunkPerRequest(new FakeProvider(100, 100_000, 0), store, 2);
        signal.set(null);
        CompletableFuture<IndexingResult> waiting = CompletableFuture.supplyAsync(
                () -> idle.index("q", source, IndexCursor.START, listening));
        try {
            await().atMost(PATIENCE).until(() -> store.count("q") == 2 && signal.get().getAsBoolean());
        } finally {
            sourceGate.countDown();
        }
        assertThat(waiting.get(60, TimeUnit.SECONDS).totals().chunksStored()).isEqualTo(4);
        assertThat(signal.get().getAsBoolean()).as("after the run").isFalse();
    }

    @Test
    void aSourceThatFailsFailsTheRunWithItsOwnError() {
        List<SourceFile> all = files(4);
        Iterable<SourceFile> source = () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public SourceFile next() {
                if (next == all.size()) {
                    throw new IllegalStateException("the archive is gone");
                }
                return all.get(next++);
            }
        };
        Indexer indexer = Indexer.builder(new FakeProvider(100, 100_000, 0), store).build();

        assertThatThrownBy(() -> indexer.index("p", source)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the archive is gone");
    }

    @Test
    void aProviderBuildsTheNextRequestsOutsideItsSlotWhileMaxConcurrencyAreInFlight() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        SlotAwareProvider provider = new SlotAwareProvider(gate);
        Indexer indexer = oneChunkPerRequest(provider, store, 2);
        CompletableFuture<IndexingResult> run = CompletableFuture.supplyAsync(() -> indexer.index("p", files(20)));
        try {
            // two requests on the wire, and the extra senders' requests built and waiting for a place
            await().atMost(PATIENCE).until(() -> provider.onTheWire.get() == 2
                    && provider.builtWaiting.get() == IndexingRun.SENDERS_AHEAD);
            assertThat(indexer.waitingForRequests.get()).isEqualTo(IndexingRun.SENDERS_AHEAD);
        } finally {
            gate.countDown();
        }
        assertThat(run.get(60, TimeUnit.SECONDS).totals().chunksStored()).isEqualTo(20);
        assertThat(provider.maxOnTheWire.get()).as("never more than MaxConcurrency on the wire").isEqualTo(2);
        assertThat(indexer.requests.getMetrics().getAvailableConcurrentCalls()).isEqualTo(2);
    }

    @Test
    void anInterruptedRunStopsItsRequestsAndEndsWithCancellation() throws Exception {
        interruptMidRun(new GatedProvider(new CountDownLatch(1)));
    }

    @Test
    void anInterruptedRunEndsEvenWhenTheProviderSwallowsTheInterrupt() throws Exception {
        interruptMidRun(new GatedProvider(new CountDownLatch(1), true));
    }

    private void interruptMidRun(GatedProvider provider) throws Exception {
        Indexer indexer = oneChunkPerRequest(provider, store, 3);
        AtomicReference<Thread> caller = new AtomicReference<>();
        CompletableFuture<IndexingResult> run = CompletableFuture.supplyAsync(() -> {
            caller.set(Thread.currentThread());
            return indexer.index("p", files(20));
        });
        await().atMost(PATIENCE).until(() -> provider.inFlight.get() == 3);

        caller.get().interrupt();

        assertThatThrownBy(() -> run.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(CancellationException.class);
        assertThat(provider.inFlight.get()).isZero();
        assertThat(indexer.requests.getMetrics().getAvailableConcurrentCalls()).isEqualTo(3);
        assertThat(provider.started.get()).as("no batch was sent after the cancel").isEqualTo(3);
    }

    private static Indexer oneChunkPerRequest(dev.aar.embedding.EmbeddingProvider provider, dev.aar.embedding.EmbeddingStore store,
            int maxConcurrency) {
        return Indexer.builder(provider, store)
                .embeddingProcessing(EmbeddingProcessing.builder().maxConcurrency(maxConcurrency).batchSize(1).build()).build();
    }

    /** A source that yields the first {@code n} files at once, then blocks until {@code gate} opens. */
    private static Iterable<SourceFile> blockingAfter(List<SourceFile> all, int n, CountDownLatch gate) {
        return () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                if (next == n) {
                    try {
                        gate.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new CancellationException("interrupted");
                    }
                }
                return next < all.size();
            }

            @Override
            public SourceFile next() {
                return all.get(next++);
            }
        };
    }

    private static List<SourceFile> files(int n) {
        List<SourceFile> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            files.add(new SourceFile("src/F" + i + ".java", "class F" + i + " { int x = " + i + "; }\n"));
        }
        return files;
    }

    /** Builds each request before it takes its slot, and holds it on the wire until the gate opens. */
    private static final class SlotAwareProvider implements dev.aar.embedding.EmbeddingProvider {
        private final dev.aar.core.embedding.OfflineEmbeddingProvider offline = dev.aar.core.embedding.OfflineEmbeddingProvider.create();
        private final CountDownLatch gate;
        final AtomicInteger builtWaiting = new AtomicInteger();
        final AtomicInteger onTheWire = new AtomicInteger();
        final AtomicInteger maxOnTheWire = new AtomicInteger();

        SlotAwareProvider(CountDownLatch gate) {
            this.gate = gate;
        }

        @Override
        public dev.aar.embedding.EmbeddingModel model() {
            return offline.model();
        }

        @Override
        public dev.aar.embedding.EmbeddingResult embed(List<String> inputs) {
            return offline.embed(inputs);
        }

        @Override
        public dev.aar.embedding.EmbeddingResult embed(List<String> inputs, dev.aar.embedding.RequestSlot slot) {
            builtWaiting.incrementAndGet();
            slot.acquire();
            builtWaiting.decrementAndGet();
            maxOnTheWire.accumulateAndGet(onTheWire.incrementAndGet(), Math::max);
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                onTheWire.decrementAndGet();
                slot.release();
            }
            return offline.embed(inputs); // decoding, after the slot is given back
        }
    }

    /** A store whose writes wait for the gate; counts the writes that returned. */
    private static final class GatedStore extends ForwardingEmbeddingStore {
        private final CountDownLatch gate;
        final AtomicInteger returned = new AtomicInteger();

        GatedStore(InMemoryEmbeddingStore delegate, CountDownLatch gate) {
            super(delegate);
            this.gate = gate;
        }

        @Override
        public void upsert(List<EmbeddedChunk> chunks) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            super.upsert(chunks);
            returned.incrementAndGet();
        }
    }
}
