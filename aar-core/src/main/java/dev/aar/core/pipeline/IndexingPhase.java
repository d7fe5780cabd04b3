package dev.aar.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aar.core.analysis.DirectoryProjectView;
import dev.aar.core.event.Phase;
import dev.aar.core.index.IndexCursor;
import dev.aar.core.index.IndexingListener;
import dev.aar.core.index.IndexingProgress;
import dev.aar.core.index.IndexingResult;
import dev.aar.core.index.SourceFile;
import dev.aar.core.internal.Texts;
import dev.aar.core.worker.JobPhase;
import dev.aar.core.worker.PhaseContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Indexing: chunks every indexable file, embeds the chunks and stores them, checkpointing the
 * indexer's cursor every {@code CheckpointIntervalFiles} files so a resumed job redoes at most that many.
 */
final class IndexingPhase implements JobPhase {

    private final JobEnvironment env;

    IndexingPhase(JobEnvironment env) {
        this.env = env;
    }

    @Override
    public Phase phase() {
        return Phase.INDEXING;
    }

    /** How often, at most, the tokens spent are saved between cursor checkpoints. */
    static final Duration TOKEN_SAVE_INTERVAL = Duration.ofSeconds(1);

    @Override
    public void run(PhaseContext context) throws Exception {
        long started = env.clock().millis();
        AnalysisRequest request = env.request(context.job());
        Workspace.Extracted sources = env.workspace().sources(context.job(), env.project(request));
        DirectoryProjectView view = env.view(request.projectId(), sources);
        List<dev.aar.core.analysis.SourceFile> files = view.files();
        int total = files.size();

        IndexCursor from = context.resumeProcessedFiles() == 0 ? IndexCursor.START
                : new IndexCursor(context.resumeProcessedFiles(), context.resumeLastProcessedFile());
        JsonNode resumed = context.resumeState() == null ? env.json().missingNode() : env.json().readTree(context.resumeState());
        AtomicLong tokens = new AtomicLong(resumed.path("tokens").asLong(0));
        long priorMillis = resumed.path("millis").asLong(0);

        // a cancel or a lost lease stops the run at the next file the indexer takes, not at the end of the phase
        Iterable<SourceFile> texts = texts(sources.sources(), files, from, context.job()::throwIfCancelled);
        // the cursor moves per finished file, the tokens per stored batch: batches of files after the
        // last cursor checkpoint are stored (and reused for free by the next attempt) but their tokens
        // would be forgotten with the attempt, so the token count is saved on its own as well — at
        // most every TOKEN_SAVE_INTERVAL, and when the attempt fails
        AtomicLong lastTokenSave = new AtomicLong(env.clock().millis());
        IndexingResult result;
        try {
            result = env.indexer().index(request.projectId(), texts, from, new IndexingListener() {
                @Override
                public void onProgress(IndexingProgress p) {
                    context.job().progress(Phase.INDEXING, from.filesDone() + p.filesCompleted(), total, null);
                }

                @Override
                public void onTokensUsed(long n) {
                    long spent = tokens.addAndGet(n);
                    long now = env.clock().millis();
                    if (now - lastTokenSave.get() >= TOKEN_SAVE_INTERVAL.toMillis()) {
                        lastTokenSave.set(now);
                        context.checkpoint(total, state(spent, priorMillis + now - started));
                    }
                }

                @Override
                public void onCheckpoint(IndexCursor cursor) {
                    long now = env.clock().millis();
                    lastTokenSave.set(now);
                    context.checkpointAt(cursor.filesDone(), cursor.lastFile(), total,
                            state(tokens.get(), priorMillis + now - started));
                }
            });
        } catch (Exception | Error e) {
            try {
                context.checkpoint(total, state(tokens.get(), priorMillis + env.clock().millis() - started));
            } catch (RuntimeException saveFailed) {
                e.addSuppressed(saveFailed); // the store may be what failed; the attempt's own error comes first
            }
            throw e;
        }
        context.output(env.json().createObjectNode()
                .put("files", total)
                .put("chunks", result.totals().chunksStored())
                .put("chunksReused", result.totals().chunksReused())
                .put("tokens", tokens.get())
                .put("millis", priorMillis + env.clock().millis() - started)
                .toString());
    }

    /**
     * Presents the view's files to the indexer, reading each text only when the indexer gets to it.
     * The text is read from disk here rather than through {@code SourceFile.text()}: the view would
     * keep every text softly cached, and a later phase builds its own view, so on a large project
     * that cache is hundreds of MB the collector keeps and traces for nothing. The files a resume
     * cursor covers are handed over without their text: the indexer only checks their paths to skip
     * them (and asks for a fresh iterator if they do not match, which this condition rules out).
     * Each file taken first runs {@code stopCheck}, so a stopped job leaves within one file's chunking.
     */
    private static Iterable<SourceFile> texts(Path root, List<dev.aar.core.analysis.SourceFile> files, IndexCursor from,
            Runnable stopCheck) {
        int n = from.filesDone();
        int skipped = n > 0 && n <= files.size() && files.get(n - 1).path().equals(from.lastFile()) ? n : 0;
        return () -> new Iterator<>() {
            private final Iterator<dev.aar.core.analysis.SourceFile> it = files.iterator();
            private int index;

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public SourceFile next() {
                stopCheck.run();
                dev.aar.core.analysis.SourceFile f = it.next();
                return new SourceFile(f.path(), index++ < skipped ? "" : read(root.resolve(f.path())));
            }
        };
    }

    /** Decodes like the view does. */
    private static String read(Path file) {
        try {
            return Texts.decodeUtf8(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private String state(long tokens, long millis) {
        return env.json().createObjectNode().put("tokens", tokens).put("millis", millis).toString();
    }
}
