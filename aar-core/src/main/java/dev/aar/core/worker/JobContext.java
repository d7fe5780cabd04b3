package dev.aar.core.worker;

import dev.aar.core.error.JobCancelledException;
import dev.aar.core.event.Phase;
import dev.aar.core.event.ProgressEvent;
import dev.aar.queue.Checkpoint;
import dev.aar.queue.Job;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** What a {@link JobHandler} gets for one attempt: the job, its last checkpoint, cancellation and events. */
public interface JobContext {

    /** Returns the job as it was claimed. */
    Job job();

    /** Returns the job's id. */
    default String jobId() {
        return job().id();
    }

    /** Returns the job's JSON payload. */
    default String payload() {
        return job().payload();
    }

    /** Returns this attempt's number, 1 for the first. */
    default int attempt() {
        return job().attempts();
    }

    /** Returns the payload's top-level {@code projectId}, or null; events carry it. */
    @Nullable String projectId();

    /** Returns whether the job should stop: cancelled, lease lost, or the pool is shutting down. */
    boolean isCancelled();

    /** Throws {@link JobCancelledException} if {@link #isCancelled()}. */
    void throwIfCancelled();

    /** Returns the job's latest checkpoint: the one found when the attempt started, or the last one saved since. */
    Optional<Checkpoint> checkpoint();

    /**
     * Saves a checkpoint atomically, in one fenced step with the lease's extension
     * ({@link dev.aar.queue.JobQueue#heartbeat(String, long, java.time.Duration, Runnable)}), so a
     * worker that lost the job cannot overwrite the new owner's checkpoint.
     *
     * @throws JobCancelledException if the lease was lost or the job cancelled
     */
    Checkpoint saveCheckpoint(String phase, String lastProcessedFile, int processedFileCount, int totalFileCount,
            String dataJson);

    /**
     * Defers {@code writes} (the job's results: a report, a quota settlement) to the job's
     * completion, where they run in the same fenced step that marks the job succeeded
     * ({@link dev.aar.queue.JobQueue#complete(String, long, java.time.Duration, Runnable)}): a worker
     * whose lease went stale writes nothing, and a cancel either comes first (nothing is written) or
     * finds the job finished. Writes run in the order given; one that throws fails the attempt, and a
     * retry runs the handler again, so they must be idempotent.
     */
    void onCompletion(Runnable writes);

    /**
     * Runs {@code cleanup} once the job's success is recorded and its {@code JobCompleted} event
     * published, on the worker's thread and before the worker claims another job: for work the result
     * does not depend on (deleting the extracted sources), so that neither the completion nor its
     * event waits for it. It does not run when the attempt ends any other way (failed, cancelled,
     * lease lost), and a cleanup that throws is logged, not reported, since the job has succeeded: a
     * cleanup that must happen in the end needs its own sweep for a node that died in between.
     * Contexts that cannot defer run it at once, which is what this default does.
     */
    default void afterCompletion(Runnable cleanup) {
        cleanup.run();
    }

    /** Returns {@code WorkerProcessing.CheckpointIntervalFiles}: how many files to process between checkpoints. */
    int checkpointIntervalFiles();

    /** Publishes an event to the listeners; returns at once. */
    void publish(ProgressEvent event);

    /** Publishes a {@code ProgressUpdate} for this job. */
    void progress(Phase phase, int processedFiles, int totalFiles, String message);
}
