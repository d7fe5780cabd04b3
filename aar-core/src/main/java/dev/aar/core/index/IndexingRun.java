package dev.aar.core.index;

import dev.aar.core.embedding.ResilientEmbeddingProvider;
import dev.aar.core.error.StorageException;
import dev.aar.core.internal.Threads;
import dev.aar.embedding.EmbeddedChunk;
import dev.aar.embedding.EmbeddingModel;
import dev.aar.embedding.EmbeddingProvider;
import dev.aar.embedding.EmbeddingProviderException;
import dev.aar.embedding.EmbeddingResult;
import dev.aar.embedding.RequestSlot;
import io.github.resilience4j.core.exception.AcquirePermissionCancelledException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link Indexer#index} call, as a pipeline of threads so that the embedding service always has
 * MaxConcurrency requests to answer:
 *
 * <ol>
 *   <li>chunking threads cut files a bounded number ahead ({@link OrderedChunking});</li>
 *   <li>the calling thread takes them in file order, looks up known hashes and cuts batches into a
 *       queue of at most MaxConcurrency + {@link #SENDERS_AHEAD} batches, so the next batch is ready
 *       when a request ends;</li>
 *   <li>MaxConcurrency + {@link #SENDERS_AHEAD} sender threads take batches and embed them, each
 *       holding a place in the indexer's shared request bulkhead ({@link RequestSlot}) only while its
 *       request is in flight: the provider builds the request before it takes the place and decodes
 *       the answer after it gives it back, so MaxConcurrency requests stay at the service while the
 *       other senders prepare theirs;</li>
 *   <li>one writer thread stores what came back (and the reused chunks), merging what is queued into
 *       one store call, and tracks completion per file so the cursor only ever covers files whose
 *       chunks are all stored.</li>
 * </ol>
 *
 * <p>Storing used to happen on the sender threads: with a SQLite index the writes of five senders
 * queued for the database's one write lock while holding their request slots, and about a third of
 * each slot's time went to the store (JFR of {@code aar analyze} of the JDK sources, see
 * docs/BENCHMARKS.md). Every queue is bounded, so memory stays flat: at most MaxConcurrency +
 * {@link #SENDERS_AHEAD} batches wait and as many are with the senders (MaxConcurrency of them in
 * flight), and {@link #STORE_QUEUE_BATCHES} times MaxConcurrency wait to be stored.
 */
final class IndexingRun {

    private static final Logger log = LoggerFactory.getLogger(IndexingRun.class);
    private static final AtomicInteger RUNS = new AtomicInteger();
    /** Embedded batches per request slot (MaxConcurrency) that may wait for the writer before senders wait for it. */
    static final int STORE_QUEUE_BATCHES = 2;
    /**
     * Senders beyond MaxConcurrency: while MaxConcurrency requests are in flight, these build their
     * next requests (a provider that overrides {@link EmbeddingProvider#embed(List, RequestSlot)}
     * serializes outside its slot), so a slot that frees is taken by a request ready to go.
     */
    static final int SENDERS_AHEAD = 2;
    /**
     * How long the batching thread waits for the next file, with a partial batch and nothing else for
     * the senders to do, before sending the partial batch: a source that blocks (files still being
     * extracted) must not hold back chunks it already yielded.
     */
    static final long IDLE_FLUSH_MILLIS = 50;
    /** How often an idle writer checks whether a cancelled run wants it to stop. */
    private static final long WRITER_POLL_MILLIS = 100;
    /** Most content hashes a run remembers to skip first-time look-ups (about 14 MB); past it, every hash is looked up. */
    static final int MAX_MET_HASHES = 1 << 18;

    private record Pending(int fileIndex, Chunk chunk) {
    }

    private static final class FileState {
        final String path;
        int remaining;

        FileState(String path, int remaining) {
            this.path = path;
            this.remaining = remaining;
        }
    }

    /** Unique texts of one request, each with every pending chunk that has that text. */
    private final class Batch {
        final Map<String, List<Pending>> byHash = new LinkedHashMap<>();
        long tokens;

        boolean fits(Chunk c) {
            return byHash.containsKey(c.contentHash())
                    || (byHash.size() < indexer.maxInputsPerRequest() && tokens + c.tokens() <= model.maxTokensPerRequest());
        }

        void add(Pending p) {
            List<Pending> same = byHash.computeIfAbsent(p.chunk().contentHash(), h -> new ArrayList<>(1));
            if (same.isEmpty()) {
                tokens += p.chunk().tokens();
            }
            same.add(p);
        }
    }

    /** Rows for the writer: embedded ({@code texts} > 0, with the request's tokens) or reused ({@code texts} = 0). */
    private record Stored(List<EmbeddedChunk> rows, List<Pending> done, int texts, long tokens) {
    }

    /** Tells a sender, or the writer, that nothing more comes. */
    private static final Object END = new Object();

    private final Indexer indexer;
    private final String projectId;
    private final IndexingListener listener;
    private final EmbeddingModel model;
    private final BlockingQueue<Object> ready;
    private final BlockingQueue<Object> toStore;
    private final int senderCount;
    private final ExecutorService senders;
    private final ExecutorService writer;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    /** Senders waiting for a batch; with {@link #cutting}, the signal {@link IndexingListener#onStarted} hands out. */
    private final AtomicInteger waitingForBatch = new AtomicInteger();
    private volatile boolean cutting = true;
    private final List<Pending> lookup = new ArrayList<>();
    /**
     * While the store held no vector of the model when the run began: the hashes this run has met, so only
     * a hash met before is looked up (its vector may be stored by now); null for a store that may hold the
     * model's vectors, where every hash is looked up.
     */
    private MetHashes metHashes;
    /** Set by the writer when a store call failed: what is still queued is not stored either (the store is likely down). */
    private volatile boolean storeFailed;
    /** Set after a cancelled run's senders ended: the writer then stops at an empty queue instead of waiting for its END. */
    private volatile boolean sendersDone;
    private final int run;
    private Batch batch;

    // guarded by this
    private final Map<Integer, FileState> open = new HashMap<>();
    private int watermark;
    private int lastCheckpoint;
    private String lastDonePath;
    private int filesCompleted;
    private long chunksStored;
    private long chunksEmbedded;
    private long chunksReused;
    private long tokensUsed;
    private long requests;

    IndexingRun(Indexer indexer, String projectId, IndexingListener listener) {
        this.indexer = indexer;
        this.projectId = projectId;
        this.listener = listener;
        this.model = indexer.provider().model();
        this.run = RUNS.incrementAndGet();
        this.senderCount = indexer.maxConcurrency() + SENDERS_AHEAD;
        // room for every sender's END, so that drain never waits for a sender that has stopped
        this.ready = new ArrayBlockingQueue<>(senderCount);
        this.toStore = new ArrayBlockingQueue<>(indexer.maxConcurrency() * STORE_QUEUE_BATCHES);
        this.senders = Executors.newFixedThreadPool(senderCount, Threads.numbered("aar-indexer-" + run + "-"));
        this.writer = Executors.newSingleThreadExecutor(Threads.numbered("aar-indexer-" + run + "-store-"));
        this.batch = new Batch();
    }

    IndexingResult run(Iterable<SourceFile> files, IndexCursor from) {
        long start = System.nanoTime();
        metHashes = mayHoldVectors() ? null : new MetHashes(MAX_MET_HASHES); // before any thread starts
        Iterator<SourceFile> it = files.iterator();
        int index = skip(it, from);
        if (index < 0) {
            log.warn("project {}: the files do not match the resume cursor {}; indexing them all again", projectId, from);
            it = files.iterator();
            index = 0;
        }
        int skipped = index;
        synchronized (this) {
            watermark = index;
            lastCheckpoint = index;
            lastDonePath = index == 0 ? null : from.lastFile();
        }
        for (int i = 0; i < senderCount; i++) {
            senders.execute(this::send);
        }
        writer.execute(this::write);
        // the SENDERS_AHEAD extra senders waiting is normal; one more, and a request slot has nothing to send
        listener.onStarted(() -> cutting && waitingForBatch.get() > SENDERS_AHEAD);
        try (OrderedChunking chunked = new OrderedChunking(indexer.chunker(), it, index, indexer.chunkingThreads(),
                "aar-chunker-" + run + "-", projectId)) {
            while (failure.get() == null) {
                OrderedChunking.Chunked next = nextFile(chunked);
                if (next == null) {
                    break;
                }
                addFile(next.index(), next.file(), next.chunks());
            }
            flushLookup();
            submit();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        } finally {
            cutting = false;
            drain();
        }
        RuntimeException failed = failure.get();
        if (failed != null) {
            throw failed;
        }
        synchronized (this) {
            IndexCursor cursor = watermark == 0 ? IndexCursor.START : new IndexCursor(watermark, lastDonePath);
            if (watermark > lastCheckpoint) {
                listener.onCheckpoint(cursor);
            }
            return new IndexingResult(snapshot(), skipped, cursor, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /** Skips the files the cursor covers; returns how many, or -1 if they are not the files the cursor saw. */
    private static int skip(Iterator<SourceFile> it, IndexCursor from) {
        int index = 0;
        while (index < from.filesDone()) {
            if (!it.hasNext()) {
                return -1;
            }
            SourceFile f = it.next();
            index++;
            if (index == from.filesDone() && !f.path().equals(from.lastFile())) {
                return -1;
            }
        }
        return index;
    }

    private void addFile(int index, SourceFile file, List<Chunk> chunks) {
        synchronized (this) {
            open.put(index, new FileState(file.path(), chunks.size()));
            if (chunks.isEmpty()) {
                fileCompleted(index);
            }
        }
        for (Chunk c : chunks) {
            lookup.add(new Pending(index, c));
            if (lookup.size() >= indexer.maxInputsPerRequest()) {
                flushLookup();
            }
        }
    }

    /**
     * The next file, or null at the end. While waiting for the source (not for chunking) with a partial
     * batch and no batch queued for the senders, the partial batch is sent first: chunks the source
     * already yielded are not held back by files it has not yet.
     */
    private OrderedChunking.Chunked nextFile(OrderedChunking chunked) {
        if (!chunked.awaitNext(IDLE_FLUSH_MILLIS) && ready.isEmpty()) {
            flushLookup();
            submit();
        }
        return chunked.hasNext() ? chunked.next() : null;
    }

    /** Stores the looked-up chunks whose text already has a vector; batches the rest. */
    private void flushLookup() {
        if (lookup.isEmpty()) {
            return;
        }
        LinkedHashSet<String> hashes = new LinkedHashSet<>();
        for (Pending p : lookup) {
            String hash = p.chunk().contentHash();
            if (metHashes == null || metHashes.needsLookup(hash)) {
                hashes.add(hash);
            }
        }
        Map<String, float[]> known = hashes.isEmpty() ? Map.of()
                : askStore("looking up " + hashes.size() + " chunk hashes",
                        () -> indexer.store().findVectors(model.name(), hashes));
        List<Pending> reused = new ArrayList<>();
        List<EmbeddedChunk> rows = new ArrayList<>();
        for (Pending p : lookup) {
            float[] vector = known.get(p.chunk().contentHash());
            if (vector != null && vector.length == model.dimensions()) {
                reused.add(p);
                rows.add(row(p, vector));
            } else {
                if (!batch.fits(p.chunk())) {
                    submit();
                }
                batch.add(p);
            }
        }
        lookup.clear();
        if (!rows.isEmpty()) {
            put(toStore, new Stored(rows, reused, 0, 0));
        }
    }

    private boolean mayHoldVectors() {
        return askStore("asking for vectors of model " + model.name(), () -> indexer.store().mayHoldVectors(model.name()));
    }

    /** Runs a read of the store; its failure becomes the run's typed storage error. */
    private static <T> T askStore(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (UncheckedIOException e) {
            throw new StorageException("embedding_store", what + " failed: " + e.getMessage(), e);
        }
    }

    /** Queues the batch for the senders; waits while MaxConcurrency batches are already queued. */
    private void submit() {
        if (batch.byHash.isEmpty()) {
            return;
        }
        Batch b = batch;
        batch = new Batch();
        put(ready, b);
    }

    private void put(BlockingQueue<Object> queue, Object item) {
        try {
            queue.put(item);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("indexing of project " + projectId + " was interrupted");
        }
    }

    /** A sender: embeds queued batches until told to stop; after a failure, takes batches without sending them. */
    private void send() {
        try {
            for (Object next; (next = takeBatch()) != END;) {
                if (failure.get() != null) {
                    continue;
                }
                try {
                    toStore.put(embed((Batch) next));
                } catch (RuntimeException | Error e) {
                    fail(e);
                }
            }
        } catch (InterruptedException e) {
            // stopped: the run was cancelled
        }
    }

    private Object takeBatch() throws InterruptedException {
        Object next = ready.poll();
        if (next != null) {
            return next;
        }
        waitingForBatch.incrementAndGet();
        try {
            return ready.take();
        } finally {
            waitingForBatch.decrementAndGet();
        }
    }

    private void fail(Throwable e) {
        failure.compareAndSet(null, e instanceof RuntimeException re ? re : new IllegalStateException(e));
    }

    private Stored embed(Batch b) {
        List<String> texts = new ArrayList<>(b.byHash.size());
        b.byHash.values().forEach(same -> texts.add(same.get(0).chunk().text()));
        EmbeddingResult result = embed(texts, b.tokens);
        List<float[]> vectors = result.vectors();
        if (vectors.size() != texts.size()) {
            throw new StorageException("embedding", model.name() + " returned " + vectors.size() + " vectors for "
                    + texts.size() + " inputs", null);
        }
        List<EmbeddedChunk> rows = new ArrayList<>();
        List<Pending> done = new ArrayList<>();
        int i = 0;
        for (List<Pending> same : b.byHash.values()) {
            float[] vector = vectors.get(i++);
            if (vector.length != model.dimensions()) {
                throw new StorageException("embedding", model.name() + " returned a vector of " + vector.length
                        + " dimensions; the model has " + model.dimensions(), null);
            }
            for (Pending p : same) {
                rows.add(row(p, vector));
                done.add(p);
            }
        }
        return new Stored(rows, done, texts.size(), result.tokensUsed() > 0 ? result.tokensUsed() : b.tokens);
    }

    private EmbeddingResult embed(List<String> texts, long tokens) {
        EmbeddingProvider provider = indexer.provider();
        Slot slot = new Slot();
        try {
            return provider instanceof ResilientEmbeddingProvider resilient
                    ? resilient.embed(texts, tokens, slot)
                    : provider.embed(texts, slot);
        } catch (EmbeddingProviderException e) {
            throw new StorageException("embedding", model.name() + ": a request of " + texts.size() + " inputs ("
                    + tokens + " tokens) failed" + (e.statusCode() == 0 ? "" : " with status " + e.statusCode())
                    + ": " + e.getMessage(), e);
        } finally {
            slot.release();
        }
    }

    /** A place in the indexer's {@link Indexer#requests} for one request (and its retries). */
    private final class Slot implements RequestSlot {
        private final AtomicBoolean held = new AtomicBoolean();

        @Override
        public void acquire() {
            if (held.get()) {
                return;
            }
            indexer.waitingForRequests.incrementAndGet();
            try {
                indexer.requests.acquirePermission();
            } catch (AcquirePermissionCancelledException e) {
                // the bulkhead keeps the thread's interrupt flag set
                throw new CancellationException("indexing of project " + projectId + " was interrupted");
            } finally {
                indexer.waitingForRequests.decrementAndGet();
            }
            held.set(true);
            if (failure.get() != null) {
                // the run failed while this request waited: it is not sent (the run ends with the first failure)
                release();
                throw new CancellationException("indexing of project " + projectId + " stopped after a failed request");
            }
        }

        @Override
        public void release() {
            if (held.compareAndSet(true, false)) {
                indexer.requests.onComplete();
            }
        }
    }

    /**
     * The writer: stores what the senders and the batching thread queued, everything queued at the
     * moment in one store call (one transaction instead of several), then counts it and moves the
     * cursor. After a store failure it keeps taking (so nobody waits on it) without storing.
     */
    private void write() {
        List<Object> taken = new ArrayList<>();
        try {
            while (true) {
                taken.clear();
                Object first = toStore.poll(WRITER_POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (sendersDone) {
                        return;
                    }
                    continue;
                }
                taken.add(first);
                toStore.drainTo(taken);
                boolean end = taken.remove(END);
                if (!taken.isEmpty() && !storeFailed) {
                    store(taken);
                }
                if (end) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // stopped: the run was cancelled
        }
    }

    private void store(List<Object> taken) {
        List<EmbeddedChunk> rows = new ArrayList<>();
        for (Object o : taken) {
            rows.addAll(((Stored) o).rows());
        }
        try {
            upsert(rows);
        } catch (RuntimeException | Error e) {
            storeFailed = true;
            fail(e);
            return;
        }
        try {
            for (Object o : taken) {
                counted((Stored) o);
            }
        } catch (RuntimeException | Error e) {
            fail(e); // a listener's failure (a checkpoint that could not be saved) ends the run like a failed request
        }
    }

    private void counted(Stored s) {
        if (s.texts() > 0) {
            indexer.tokensConsumed.increment(s.tokens());
            indexer.embeddingsCreated.increment(s.texts());
        }
        synchronized (this) {
            if (s.texts() > 0) {
                tokensUsed += s.tokens();
                requests++;
                chunksEmbedded += s.texts();
                chunksReused += s.rows().size() - s.texts();
                listener.onTokensUsed(s.tokens());
            } else {
                chunksReused += s.rows().size();
            }
            completed(s.done());
        }
    }

    private void upsert(List<EmbeddedChunk> rows) {
        try {
            indexer.store().upsert(rows);
        } catch (UncheckedIOException e) {
            throw new StorageException("embedding_store", "storing " + rows.size() + " chunks failed: " + e.getMessage(), e);
        }
    }

    private EmbeddedChunk row(Pending p, float[] vector) {
        Chunk c = p.chunk();
        return new EmbeddedChunk(projectId, c.chunkId(), model.name(), c.contentHash(), c.file(), c.startLine(),
                c.endLine(), c.text(), vector);
    }

    /** Marks chunks stored; completes their files and moves the cursor. Caller holds the lock. */
    private void completed(List<Pending> done) {
        for (Pending p : done) {
            chunksStored++;
            FileState state = open.get(p.fileIndex());
            if (--state.remaining == 0) {
                fileCompleted(p.fileIndex());
            }
        }
    }

    private void fileCompleted(int index) {
        filesCompleted++;
        listener.onProgress(snapshot());
        boolean moved = false;
        FileState state;
        while ((state = open.get(watermark)) != null && state.remaining == 0) {
            open.remove(watermark);
            lastDonePath = state.path;
            watermark++;
            moved = true;
        }
        if (moved && watermark - lastCheckpoint >= indexer.checkpointIntervalFiles()) {
            lastCheckpoint = watermark;
            listener.onCheckpoint(new IndexCursor(watermark, lastDonePath));
        }
    }

    private IndexingProgress snapshot() {
        return new IndexingProgress(filesCompleted, chunksStored, chunksEmbedded, chunksReused, tokensUsed, requests);
    }

    /**
     * Tells the senders, then the writer, that nothing more comes, and waits for them: requests in
     * flight end and what they brought back is stored. When the calling thread was interrupted, the
     * senders and the writer are interrupted too, and waited for all the same.
     */
    private void drain() {
        boolean interrupted = Thread.interrupted();
        if (interrupted) {
            failure.compareAndSet(null, new CancellationException("indexing of project " + projectId + " was interrupted"));
            ready.clear(); // batches not sent yet are dropped; this thread was the only one adding
            senders.shutdownNow();
        }
        for (int i = 0; i < senderCount; i++) {
            // a sender whose request swallowed the interrupt still finds its END; there is room, as the
            // senders keep taking (and after a cancel the queue was cleared)
            putUninterruptibly(ready, END);
        }
        senders.shutdown();
        awaitTermination(senders);
        if (interrupted) {
            sendersDone = true; // the writer stops once the queue is empty, even if it swallowed the interrupt
            writer.shutdownNow();
        } else {
            putUninterruptibly(toStore, END); // the senders are done; the writer keeps taking until it gets it
            writer.shutdown();
        }
        awaitTermination(writer);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void putUninterruptibly(BlockingQueue<Object> queue, Object item) {
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(item);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitTermination(ExecutorService pool) {
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
