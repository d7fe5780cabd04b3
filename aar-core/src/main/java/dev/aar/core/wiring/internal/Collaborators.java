package dev.aar.core.wiring.internal;

import dev.aar.core.config.AarConfig;
import dev.aar.core.event.EventDispatcher;
import dev.aar.core.event.ProgressListener;
import dev.aar.core.index.Indexer;
import dev.aar.core.metrics.AarMetrics;
import dev.aar.core.pipeline.AnalysisService;
import dev.aar.core.pipeline.Housekeeping;
import dev.aar.core.project.ProjectStore;
import dev.aar.core.quota.QuotaService;
import dev.aar.core.quota.QuotaStore;
import dev.aar.core.report.ReportStore;
import dev.aar.core.storage.RetentionSweeper;
import dev.aar.core.upload.UploadSessionManager;
import dev.aar.core.upload.UploadSessionSweeper;
import dev.aar.core.worker.JobClient;
import dev.aar.core.worker.JobHandler;
import dev.aar.core.worker.WorkerPool;
import dev.aar.embedding.EmbeddingProvider;
import dev.aar.embedding.EmbeddingStore;
import dev.aar.queue.CheckpointStore;
import dev.aar.queue.JobQueue;
import dev.aar.storage.BlobStore;
import dev.aar.storage.UploadSessionStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Everything one {@code Aar} wired, as the SDK uses it (the host's backends behind the builder's layers, or the
 * embedded defaults), for the project's own server, CLI, starter, benchmarks and tests:
 * {@code Collaborators.of(aar).jobQueue()}. Not an API; hosts use {@code Aar}.
 *
 * <p>Looked up by instance rather than asked of {@code Aar}, so that {@code Aar} keeps no public method for it and
 * no package depends on the root package. The table holds its keys weakly and no value refers back to its
 * {@code Aar}, so an instance nobody holds is collected with its entry.
 *
 * @param owned what the instance closes at {@code close()}, newest first; pools started here join it
 */
public record Collaborators(
        AarConfig config,
        BlobStore blobStore,
        UploadSessionStore uploadSessionStore,
        CheckpointStore checkpointStore,
        EmbeddingStore embeddingStore,
        QuotaStore quotaStore,
        ProjectStore projectStore,
        QuotaService quotaService,
        ReportStore reportStore,
        JobQueue jobQueue,
        JobClient jobs,
        EmbeddingProvider embeddingProvider,
        Indexer indexer,
        UploadSessionManager uploadSessionManager,
        AnalysisService analysis,
        EventDispatcher events,
        List<ProgressListener> listeners,
        MeterRegistry meterRegistry,
        AarMetrics metrics,
        Deque<AutoCloseable> owned) {

    private static final Map<Object, Collaborators> WIRED = Collections.synchronizedMap(new WeakHashMap<>());

    /** Records what {@code aar} wired; called once by {@code Aar} itself. */
    public static void register(Object aar, Collaborators collaborators) {
        WIRED.put(aar, collaborators);
    }

    /**
     * Returns what {@code aar} wired.
     *
     * @throws IllegalArgumentException if {@code aar} is not an instance built by {@code Aar.builder()}
     */
    public static Collaborators of(AutoCloseable aar) {
        Collaborators wired = WIRED.get(aar);
        if (wired == null) {
            throw new IllegalArgumentException("not an Aar built by Aar.builder(): " + aar.getClass().getName());
        }
        return wired;
    }

    /**
     * Starts a {@link WorkerPool} running {@code handlers} with this instance's queue, checkpoint store, events,
     * metrics and {@code WorkerProcessing} config; the instance's {@code close()} shuts it down gracefully.
     */
    public WorkerPool workers(JobHandler... handlers) {
        WorkerPool pool = workerPool().handlers(handlers).build().start();
        jobs.tellOnCancel(pool); // a cancel through analysis() reaches a job running here at once
        synchronized (owned) {
            owned.push(pool);
        }
        return pool;
    }

    /** Returns a worker pool builder wired to this instance; the caller starts and closes the pool. */
    public WorkerPool.Builder workerPool() {
        return WorkerPool.builder(jobQueue).config(config.workerProcessing()).checkpointStore(checkpointStore)
                .events(events).metrics(metrics);
    }

    /** Returns a housekeeping builder wired to this instance's stores and config; the caller starts and closes it. */
    public Housekeeping.Builder housekeeping() {
        RetentionSweeper retention = new RetentionSweeper(projectStore, blobStore, config.storagePolicy(), quotaService,
                project -> {
                    embeddingStore.deleteProject(project.id());
                    reportStore.deleteProject(project.id());
                });
        // a finished job is kept as long as project data: its status stays answerable for as long as its report
        Duration jobRetention = Duration.ofDays(config.storagePolicy().retentionDays());
        return Housekeeping.builder().uploads(UploadSessionSweeper.builder(uploadSessionManager).build())
                .retention(retention).finishedJobs(jobQueue, jobRetention).analysis(analysis);
    }

    @Override
    public String toString() {
        return "Collaborators[" + blobStore + ", " + jobQueue + "]";
    }
}
