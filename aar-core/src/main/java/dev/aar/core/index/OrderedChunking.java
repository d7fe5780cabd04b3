package dev.aar.core.index;

import dev.aar.core.internal.Threads;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * Reads files from a source on a thread of its own, chunks them on a few threads, at most a fixed
 * number of files ahead of the consumer, and hands them back in the order the source yielded them.
 *
 * <p>The source iterator is used by one thread only, the reader (an extractor's iterator need not be
 * thread-safe), so a source whose {@code hasNext()} / {@code next()} blocks (files still being
 * extracted) never holds back files already read: the consumer gets them, and can ask with
 * {@link #awaitNext} whether the next one is coming or the source is what it waits for. When the
 * source throws, the consumer gets that failure at its next call, before the files read ahead.
 * With one thread, files are chunked on the consuming thread when it asks for them. The look-ahead
 * window bounds memory: at most {@code window} files (their text and their chunks) wait to be consumed.
 */
final class OrderedChunking implements Iterator<OrderedChunking.Chunked>, AutoCloseable {

    /** The chunks of the file at position {@code index} of the source. */
    record Chunked(int index, SourceFile file, List<Chunk> chunks) {
    }

    /** Files chunked ahead per chunking thread: enough to even out file sizes, few enough to keep memory flat. */
    static final int FILES_AHEAD_PER_THREAD = 4;

    /** Marks the end of the source in the queue. */
    private static final Future<Chunked> END = new FutureTask<>(() -> null);

    private final Chunker chunker;
    private final ExecutorService pool;
    private final Thread reader;
    private final String projectId;
    private final BlockingQueue<Future<Chunked>> ahead;
    private volatile RuntimeException sourceFailure;
    private volatile boolean readingSource;
    private Future<Chunked> head;

    /**
     * @param firstIndex the source position of the first file {@code source} yields
     * @param threads chunking threads; 1 chunks on the consuming thread
     * @param threadName prefix of the pool's thread names
     */
    OrderedChunking(Chunker chunker, Iterator<SourceFile> source, int firstIndex, int threads, String threadName,
            String projectId) {
        this.chunker = chunker;
        this.projectId = projectId;
        this.pool = threads <= 1 ? null : Executors.newFixedThreadPool(threads, Threads.numbered(threadName));
        this.ahead = new ArrayBlockingQueue<>(Math.max(1, threads) * FILES_AHEAD_PER_THREAD);
        this.reader = Threads.daemon(threadName + "reader").newThread(() -> read(source, firstIndex));
        reader.start();
    }

    private void read(Iterator<SourceFile> source, int firstIndex) {
        int index = firstIndex;
        try {
            while (true) {
                readingSource = true;
                if (!source.hasNext()) {
                    break;
                }
                SourceFile file = source.next();
                readingSource = false;
                int i = index++;
                FutureTask<Chunked> task = new FutureTask<>(() -> new Chunked(i, file, chunker.chunk(file)));
                if (pool != null) {
                    pool.execute(task);
                }
                ahead.put(task);
            }
            readingSource = false;
            ahead.put(END);
        } catch (InterruptedException e) {
            // closed: nobody consumes any more
        } catch (RuntimeException | Error e) {
            readingSource = false;
            sourceFailure = e instanceof RuntimeException re ? re : new IllegalStateException("reading the files failed", e);
            ahead.offer(END); // wakes a waiting consumer; it finds the failure first
        }
    }

    /**
     * Waits at most {@code millis} for the next file (or the end) to be on its way; false when it is
     * not and the reader is waiting for the source, which is then what holds the consumer back.
     */
    boolean awaitNext(long millis) {
        if (head != null || !ahead.isEmpty()) {
            return true;
        }
        try {
            head = ahead.poll(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("indexing of project " + projectId + " was interrupted");
        }
        return head != null || !readingSource;
    }

    @Override
    public boolean hasNext() {
        if (head == null) {
            try {
                head = ahead.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("indexing of project " + projectId + " was interrupted");
            }
        }
        throwIfSourceFailed();
        return head != END;
    }

    @Override
    public Chunked next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Future<Chunked> next = head;
        head = null;
        if (pool == null) {
            ((FutureTask<Chunked>) next).run();
        }
        try {
            return next.get();
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

    private void throwIfSourceFailed() {
        RuntimeException failed = sourceFailure;
        if (failed != null) {
            throw failed;
        }
    }

    /** Drops the files chunked ahead and stops the reader and the pool; a run that failed does not wait for them. */
    @Override
    public void close() {
        reader.interrupt();
        ahead.forEach(f -> f.cancel(true));
        ahead.clear();
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
