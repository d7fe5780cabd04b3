package dev.aar.core.worker;

import dev.aar.core.error.JobCancelledException;
import dev.aar.core.event.Phase;
import dev.aar.core.event.ProgressEvent;
import dev.aar.core.event.ProgressUpdate;
import dev.aar.queue.Checkpoint;
import dev.aar.queue.Job;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The {@link JobContext} the phases of one attempt of a {@link PhasedJobHandler} share: the job's own,
 * plus a stop of its own (when one phase fails, the phases running beside it stop too), progress that
 * never goes back within a phase, and objects the phases of the attempt hand each other.
 */
final class AttemptContext implements JobContext {

    private record Progress(double percent, int processed, int total) {
    }

    private final JobContext job;
    private final Map<Phase, Progress> progress = new EnumMap<>(Phase.class);
    private final Map<Class<?>, Object> shared = new ConcurrentHashMap<>();
    private volatile String stopped;

    AttemptContext(JobContext job) {
        this.job = job;
    }

    /** Stops every phase of this attempt at its next check; the first reason is kept. */
    void stop(String why) {
        synchronized (this) {
            if (stopped == null) {
                stopped = why;
            }
        }
    }

    <T> T shared(Class<T> type, Supplier<T> create) {
        return type.cast(shared.computeIfAbsent(type, t -> create.get()));
    }

    /** Publishes that {@code phase} starts (or resumes at {@code processed} of {@code total}). */
    void started(Phase phase, int processed, int total) {
        double percent = total <= 0 ? 0 : Math.min(100.0, processed * 100.0 / total);
        synchronized (this) {
            progress.put(phase, new Progress(percent, processed, total));
        }
        job.publish(new ProgressUpdate(projectId(), jobId(), phase, percent, processed, total, "started"));
    }

    /** Publishes that {@code phase} completed: 100%, with the counts it last reported. */
    void completed(Phase phase) {
        Progress last;
        synchronized (this) {
            last = progress.getOrDefault(phase, new Progress(100, 0, 0));
            progress.put(phase, new Progress(100, last.processed(), last.total()));
        }
        job.publish(new ProgressUpdate(projectId(), jobId(), phase, 100, last.processed(), last.total(), "completed"));
    }

    @Override
    public Job job() {
        return job.job();
    }

    @Override
    public String projectId() {
        return job.projectId();
    }

    @Override
    public boolean isCancelled() {
        return stopped != null || job.isCancelled();
    }

    @Override
    public void throwIfCancelled() {
        job.throwIfCancelled();
        String why = stopped;
        if (why != null) {
            throw new JobCancelledException(jobId(), why);
        }
    }

    @Override
    public Optional<Checkpoint> checkpoint() {
        return job.checkpoint();
    }

    @Override
    public Checkpoint saveCheckpoint(String phase, String lastProcessedFile, int processedFileCount, int totalFileCount,
            String dataJson) {
        return job.saveCheckpoint(phase, lastProcessedFile, processedFileCount, totalFileCount, dataJson);
    }

    @Override
    public void onCompletion(Runnable writes) {
        job.onCompletion(writes);
    }

    @Override
    public void afterCompletion(Runnable cleanup) {
        job.afterCompletion(cleanup);
    }

    @Override
    public int checkpointIntervalFiles() {
        return job.checkpointIntervalFiles();
    }

    @Override
    public void publish(ProgressEvent event) {
        job.publish(event);
    }

    /**
     * Publishes a {@code ProgressUpdate} whose percent never falls below one published before for the
     * same phase: a phase whose total grows while it runs (Indexing fed by a running extraction) still
     * moves forward only.
     */
    @Override
    public void progress(Phase phase, int processedFiles, int totalFiles, String message) {
        double percent = RunningJob.percent(processedFiles, totalFiles);
        synchronized (this) {
            Progress last = progress.get(phase);
            if (last != null && last.percent() > percent) {
                percent = last.percent();
            }
            progress.put(phase, new Progress(percent, processedFiles, totalFiles));
            // published under the lock, so two threads of one phase cannot overtake each other
            job.publish(new ProgressUpdate(projectId(), jobId(), phase, percent, processedFiles, totalFiles, message));
        }
    }
}
