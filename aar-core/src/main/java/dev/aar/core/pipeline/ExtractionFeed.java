package dev.aar.core.pipeline;

import dev.aar.core.error.JobCancelledException;
import dev.aar.core.index.IndexCursor;
import dev.aar.core.index.SourceFile;
import dev.aar.core.internal.Texts;
import dev.aar.core.worker.JobContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The files a job's extraction has written, in the order it wrote them, handed to Indexing while the
 * extraction is still going: the indexer starts on the first file instead of after the last.
 *
 * <p>The hand-off holds paths only (bounded by {@code MaxFilesPerProject}, as the file list of a
 * project view is); each text is read from disk when the indexer takes the file, so memory does not
 * grow with a slow indexer. The feed ends only when the extraction has finished and its sources are in
 * place: a refused or failed extraction never looks like the end of the files, so Indexing cannot
 * complete on half a project — it waits, and stops when its job does.
 */
final class ExtractionFeed {

    /** How often a consumer waiting for the next file checks whether its job stopped. */
    private static final long WAIT_MILLIS = 50;

    private final List<String> paths = new ArrayList<>();
    private Path staging;
    private Path target;
    private boolean failed;
    private int iterations;

    /** A feed of an extraction that finished earlier: {@code paths}, in their written order, under {@code root}. */
    static ExtractionFeed finished(Path root, List<String> paths) {
        ExtractionFeed feed = new ExtractionFeed();
        feed.paths.addAll(paths);
        feed.target = root;
        return feed;
    }

    /** The extraction wrote {@code path} at {@code location} (under its staging directory). */
    synchronized void written(String path, Path location) {
        if (staging == null) {
            Path root = location;
            for (int segments = path.split("/").length; segments > 0; segments--) {
                root = root.getParent();
            }
            staging = root;
        }
        paths.add(path);
        notifyAll();
    }

    /** The extraction finished: every file is written, under {@code root}. */
    synchronized void finish(Path root) {
        target = root;
        notifyAll();
    }

    /** The extraction failed: consumers stop instead of waiting for files that will not come. */
    synchronized void fail() {
        failed = true;
        notifyAll();
    }

    synchronized boolean isFinished() {
        return target != null;
    }

    /** Returns how many files have been written so far. */
    synchronized int size() {
        return paths.size();
    }

    /**
     * Returns the files for {@code Indexer.index}, each read when the indexer takes it. On the first
     * iteration the files {@code from} covers are handed over without their text (the indexer only checks
     * their paths to skip them); if they do not match, the indexer iterates again and gets every text.
     * Each file taken first checks {@code job}, so a stopped job leaves within one file.
     */
    Iterable<SourceFile> texts(JobContext job, IndexCursor from) {
        return () -> {
            boolean trustCursor;
            synchronized (this) {
                trustCursor = iterations++ == 0;
            }
            int skipped = trustCursor ? from.filesDone() : 0;
            return new Iterator<>() {
                private int index;

                @Override
                public boolean hasNext() {
                    return await(index, job);
                }

                @Override
                public SourceFile next() {
                    job.throwIfCancelled();
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    String path;
                    synchronized (ExtractionFeed.this) {
                        path = paths.get(index);
                    }
                    String text = index < skipped ? "" : read(path, job);
                    index++;
                    return new SourceFile(path, text);
                }
            };
        };
    }

    /** Waits until file {@code index} is written (true) or the extraction finished without it (false). */
    private synchronized boolean await(int index, JobContext job) {
        while (paths.size() <= index && target == null) {
            pause(job);
        }
        return paths.size() > index;
    }

    /** Waits for the extraction to end; returns the target, or stops if it failed. */
    private synchronized Path awaitEnd(JobContext job) {
        while (target == null) {
            pause(job);
        }
        return target;
    }

    /** Waits a moment for the extraction to move on (the caller holds the lock); stops if it failed or the job stopped. */
    private void pause(JobContext job) {
        if (failed) {
            throw new JobCancelledException(job.jobId(), "Extracting failed");
        }
        job.throwIfCancelled();
        try {
            wait(WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobCancelledException(job.jobId(), "interrupted while waiting for extracted files");
        }
    }

    /** Reads {@code path}, decoded as the project view decodes it. */
    private String read(String path, JobContext job) {
        Path root;
        synchronized (this) {
            root = target != null ? target : staging;
        }
        try {
            return Texts.decodeUtf8(Files.readAllBytes(root.resolve(path)));
        } catch (NoSuchFileException e) {
            Path end = awaitEnd(job);
            if (end.equals(root)) {
                throw new UncheckedIOException("cannot read extracted file " + path + ": it is gone", e);
            }
            // the staging directory became the target (one atomic rename) between the two looks
            return read(path, job);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read extracted file " + path + ": " + e.getMessage(), e);
        }
    }
}
