package dev.aar.core.index;

import dev.aar.core.embedding.ResilientEmbeddingProvider;
import dev.aar.core.error.StorageException;
import dev.aar.core.internal.Threads;
import dev.aar.embedding.EmbeddedChunk;
import dev.aar.embedding.EmbeddingModel;
import dev.aar.embedding.EmbeddingProvider;
import dev.aar.embedding.EmbeddingProviderException;
import dev.aar.embedding.EmbeddingResult;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link Indexer#index} call: chunking threads cut files a bounded number ahead; the calling
 * thread takes them in file order, looks up known hashes and fills batches; pool threads embed and
 * store them, at most MaxConcurrency at a time; completion is tracked per file so the cursor only
 * ever covers files whose chunks are all stored.
 */
final class IndexingRun {

    private static final Logger log = LoggerFactory.getLogger(IndexingRun.class);
    private static final AtomicInteger RUNS = new AtomicInteger();

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

    private final Indexer indexer;
    private final String projectId;
    private final IndexingListener listener;
    private final EmbeddingModel model;
    private final Semaphore inFlight;
    private final ExecutorService pool;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final List<Pending> lookup = new ArrayList<>();
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
        this.inFlight = new Semaphore(indexer.maxConcurrency());
        this.run = RUNS.incrementAndGet();
        this.pool = Executors.newFixedThreadPool(indexer.maxConcurrency(), Threads.numbered("aar-indexer-" + run + "-"));
        this.batch = new Batch();
    }

    IndexingResult run(Iterable<SourceFile> files, IndexCursor from) {
        long start = System.nanoTime();
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
        try (OrderedChunking chunked = new OrderedChunking(indexer.chunker(), it, index, indexer.chunkingThreads(),
                "aar-chunker-" + run + "-", projectId)) {
            while (chunked.hasNext() && failure.get() == null) {
                OrderedChunking.Chunked next = chunked.next();
                addFile(next.index(), next.file(), next.chunks());
            }
            flushLookup();
            submit();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        } finally {
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

    /** Stores the looked-up chunks whose text already has a vector; batches the rest. */
    private void flushLookup() {
        if (lookup.isEmpty()) {
            return;
        }
        LinkedHashSet<String> hashes = new LinkedHashSet<>();
        lookup.forEach(p -> hashes.add(p.chunk().contentHash()));
        Map<String, float[]> known;
        try {
            known = indexer.store().findVectors(model.name(), hashes);
        } catch (UncheckedIOException e) {
            throw new StorageException("embedding_store", "looking up " + hashes.size() + " chunk hashes failed: "
                    + e.getMessage(), e);
        }
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
            upsert(rows);
            synchronized (this) {
                chunksReused += rows.size();
                completed(reused);
            }
        }
    }

    private void submit() {
        if (batch.byHash.isEmpty()) {
            return;
        }
        Batch b = batch;
        batch = new Batch();
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("indexing of project " + projectId + " was interrupted");
        }
        try {
            pool.execute(() -> {
                try {
                    if (failure.get() == null) {
                        embedAndStore(b);
                    }
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e instanceof RuntimeException re ? re : new IllegalStateException(e));
                } finally {
                    inFlight.release();
                }
            });
        } catch (RuntimeException e) {
            inFlight.release();
            throw e;
        }
    }

    private void embedAndStore(Batch b) {
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
        upsert(rows);
        long consumed = result.tokensUsed() > 0 ? result.tokensUsed() : b.tokens;
        indexer.tokensConsumed.increment(consumed);
        indexer.embeddingsCreated.increment(texts.size());
        synchronized (this) {
            tokensUsed += consumed;
            requests++;
            chunksEmbedded += texts.size();
            chunksReused += rows.size() - texts.size();
            listener.onTokensUsed(consumed);
            completed(done);
        }
    }

    private EmbeddingResult embed(List<String> texts, long tokens) {
        EmbeddingProvider provider = indexer.provider();
        try {
            indexer.requests.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("indexing of project " + projectId + " was interrupted");
        }
        try {
            return provider instanceof ResilientEmbeddingProvider resilient
                    ? resilient.embed(texts, tokens)
                    : provider.embed(texts);
        } catch (EmbeddingProviderException e) {
            throw new StorageException("embedding", model.name() + ": a request of " + texts.size() + " inputs ("
                    + tokens + " tokens) failed" + (e.statusCode() == 0 ? "" : " with status " + e.statusCode())
                    + ": " + e.getMessage(), e);
        } finally {
            indexer.requests.release();
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

    /** Waits until no request is in flight, then stops the pool. */
    private void drain() {
        boolean interrupted = Thread.interrupted();
        if (interrupted) {
            failure.compareAndSet(null, new CancellationException("indexing of project " + projectId + " was interrupted"));
            pool.shutdownNow();
        }
        inFlight.acquireUninterruptibly(indexer.maxConcurrency());
        inFlight.release(indexer.maxConcurrency());
        pool.shutdownNow();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
