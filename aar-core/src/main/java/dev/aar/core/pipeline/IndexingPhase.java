package dev.aar.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aar.core.event.Phase;
import dev.aar.core.index.IndexCursor;
import dev.aar.core.index.IndexingListener;
import dev.aar.core.index.IndexingProgress;
import dev.aar.core.index.IndexingResult;
import dev.aar.core.index.SourceFile;
import dev.aar.core.worker.JobPhase;
import dev.aar.core.worker.PhaseContext;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * Indexing: chunks every indexable file, embeds the chunks and stores them, checkpointing the
 * indexer's cursor every {@code CheckpointIntervalFiles} files so a resumed job redoes at most that many.
 * It starts with Extracting and takes each file as soon as extraction has written it, in the order it
 * was written (kept in the workspace, so a resume is fed the same sequence).
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
        ExtractionFeed feed;
        if (context.isCompleted(Phase.EXTRACTING)) {
            Workspace.Extracted sources = env.workspace().sources(context.job(), env.project(request));
            feed = ExtractionFeed.finished(sources.sources(), env.workspace().order(context.job(), sources));
        } else {
            // Extracting runs beside this phase in this attempt: take its files as it writes them
            feed = context.shared(ExtractionFeed.class, ExtractionFeed::new);
        }
        // while extraction runs, the total is preflight's count of indexable files (extraction counts the
        // same ones) or what is written so far, whichever is larger; the job keeps the percent from going back
        int estimate = request.preflight() == null ? 0 : request.preflight().fileCount();
        IntSupplier total = () -> feed.isFinished() ? feed.size() : Math.max(estimate, feed.size());

        IndexCursor from = context.resumeProcessedFiles() == 0 ? IndexCursor.START
                : new IndexCursor(context.resumeProcessedFiles(), context.resumeLastProcessedFile());
        JsonNode resumed = context.resumeState() == null ? env.json().missingNode() : env.json().readTree(context.resumeState());
        AtomicLong tokens = new AtomicLong(resumed.path("tokens").asLong(0));
        long priorMillis = resumed.path("millis").asLong(0);

        // a cancel, a lost lease or a failed Extracting stops the run at the next file the indexer takes
        Iterable<SourceFile> texts = feed.texts(context.job(), from);
        // the cursor moves per finished file, the tokens per stored batch: batches of files after the
        // last cursor checkpoint are stored (and reused for free by the next attempt) but their tokens
        // would be forgotten with the attempt, so the token count is saved on its own as well — at
        // most every TOKEN_SAVE_INTERVAL, and when the attempt fails
        AtomicLong lastTokenSave = new AtomicLong(env.clock().millis());
        IndexingDemand demand = context.shared(IndexingDemand.class, IndexingDemand::new);
        IndexingResult result;
        try {
            result = env.indexer().index(request.projectId(), texts, from, new IndexingListener() {
                @Override
                public void onStarted(java.util.function.BooleanSupplier waitingForBatches) {
                    demand.follow(waitingForBatches);
                }

                @Override
                public void onProgress(IndexingProgress p) {
                    context.job().progress(Phase.INDEXING, from.filesDone() + p.filesCompleted(), total.getAsInt(), null);
                }

                @Override
                public void onTokensUsed(long n) {
                    long spent = tokens.addAndGet(n);
                    long now = env.clock().millis();
                    if (now - lastTokenSave.get() >= TOKEN_SAVE_INTERVAL.toMillis()) {
                        lastTokenSave.set(now);
                        context.checkpoint(total.getAsInt(), state(spent, priorMillis + now - started));
                    }
                }

                @Override
                public void onCheckpoint(IndexCursor cursor) {
                    long now = env.clock().millis();
                    lastTokenSave.set(now);
                    context.checkpointAt(cursor.filesDone(), cursor.lastFile(), total.getAsInt(),
                            state(tokens.get(), priorMillis + now - started));
                }
            });
        } catch (Exception | Error e) {
            try {
                context.checkpoint(total.getAsInt(), state(tokens.get(), priorMillis + env.clock().millis() - started));
            } catch (RuntimeException saveFailed) {
                e.addSuppressed(saveFailed); // the store may be what failed; the attempt's own error comes first
            }
            throw e;
        } finally {
            demand.ended();
        }
        context.output(env.json().createObjectNode()
                .put("files", feed.size())
                .put("chunks", result.totals().chunksStored())
                .put("chunksReused", result.totals().chunksReused())
                .put("tokens", tokens.get())
                .put("millis", priorMillis + env.clock().millis() - started)
                .toString());
    }

    private String state(long tokens, long millis) {
        return env.json().createObjectNode().put("tokens", tokens).put("millis", millis).toString();
    }
}
