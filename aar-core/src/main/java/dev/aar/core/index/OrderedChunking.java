package dev.aar.core.index;

import dev.aar.core.internal.Threads;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Chunks files on a few threads, at most a fixed number of files ahead of the consumer, and hands
 * them back in the order the source yielded them.
 *
 * <p>The source iterator is only ever used by the consuming thread (an extractor's iterator need not
 * be thread-safe); only {@link Chunker#chunk} runs on the pool. With one thread there is no pool and
 * every file is chunked on the consuming thread when it asks for it. The look-ahead window bounds
 * memory: at most {@code window} files (their text and their chunks) wait to be consumed.
 */
final class OrderedChunking implements Iterator<OrderedChunking.Chunked>, AutoCloseable {

    /** The chunks of the file at position {@code index} of the source. */
    record Chunked(int index, SourceFile file, List<Chunk> chunks) {
    }

    /** Files chunked ahead per chunking thread: enough to even out file sizes, few enough to keep memory flat. */
    static final int FILES_AHEAD_PER_THREAD = 4;

    private final Chunker chunker;
    private final Iterator<SourceFile> source;
    private final ExecutorService pool;
    private final int window;
    private final String projectId;
    private final ArrayDeque<Future<Chunked>> ahead = new ArrayDeque<>();
    private int nextIndex;

    /**
     * @param firstIndex the source position of the first file {@code source} yields
     * @param threads chunking threads; 1 chunks on the consuming thread
     * @param threadName prefix of the pool's thread names
     */
    OrderedChunking(Chunker chunker, Iterator<SourceFile> source, int firstIndex, int threads, String threadName,
            String projectId) {
        this.chunker = chunker;
        this.source = source;
        this.nextIndex = firstIndex;
        this.projectId = projectId;
        if (threads <= 1) {
            this.pool = null;
            this.window = 0;
        } else {
            this.pool = Executors.newFixedThreadPool(threads, Threads.numbered(threadName));
            this.window = threads * FILES_AHEAD_PER_THREAD;
        }
    }

    @Override
    public boolean hasNext() {
        return !ahead.isEmpty() || source.hasNext();
    }

    @Override
    public Chunked next() {
        if (pool == null) {
            SourceFile file = source.next();
            return new Chunked(nextIndex++, file, chunker.chunk(file));
        }
        while (ahead.size() < window && source.hasNext()) {
            SourceFile file = source.next();
            int index = nextIndex++;
            ahead.add(pool.submit(() -> new Chunked(index, file, chunker.chunk(file))));
        }
        Future<Chunked> oldest = ahead.poll();
        if (oldest == null) {
            throw new NoSuchElementException();
        }
        try {
            return oldest.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("indexing of project " + projectId + " was interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("chunking failed", cause);
        }
    }

    /** Drops the files chunked ahead and stops the pool; a run that failed does not wait for them. */
    @Override
    public void close() {
        if (pool != null) {
            ahead.forEach(f -> f.cancel(true));
            ahead.clear();
            pool.shutdownNow();
        }
    }
}
