package dev.aar.core.worker;

import dev.aar.core.error.JobCancelledException;
import dev.aar.core.event.EventPublisher;
import dev.aar.core.event.Phase;
import dev.aar.core.event.ProgressEvent;
import dev.aar.core.event.ProgressUpdate;
import dev.aar.core.metrics.AarMetrics;
import dev.aar.queue.Checkpoint;
import dev.aar.queue.CheckpointStore;
import dev.aar.queue.Job;
import dev.aar.queue.JobQueue;
import dev.aar.queue.JobState;
import dev.aar.queue.Lease;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link JobContext} of one attempt, plus what the pool tracks about it (lease, stop reason). */
final class RunningJob implements JobContext {

    private static final Logger LOG = LoggerFactory.getLogger(RunningJob.class);

    final Lease lease;
    private final JobQueue queue;
    private final CheckpointStore checkpoints;
    private final EventPublisher events;
    private final AarMetrics metrics;
    private final Clock clock;
    private final Duration leaseDuration;
    private final int checkpointInterval;
    private final String projectId;
    private volatile Checkpoint checkpoint;
    private volatile StopReason stopReason;
    private final List<Runnable> completionWrites = new CopyOnWriteArrayList<>();
    private final List<Runnable> cleanups = new CopyOnWriteArrayList<>();
    volatile Instant leaseExpiresAt;
    final long startedNanos = System.nanoTime();

    RunningJob(Lease lease, JobQueue queue, CheckpointStore checkpoints, EventPublisher events, AarMetrics metrics,
            Clock clock, Duration leaseDuration, int checkpointInterval) {
        this.lease = lease;
        this.queue = queue;
        this.checkpoints = checkpoints;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
        this.leaseDuration = leaseDuration;
        this.checkpointInterval = checkpointInterval;
        this.leaseExpiresAt = lease.expiresAt();
        this.projectId = JobClient.projectIdOf(lease.job());
        this.checkpoint = checkpoints.find(lease.jobId()).orElse(null);
    }

    @Override
    public Job job() {
        return lease.job();
    }

    @Override
    public String projectId() {
        return projectId;
    }

    @Override
    public boolean isCancelled() {
        return stopReason != null;
    }

    @Override
    public void throwIfCancelled() {
        StopReason r = stopReason;
        if (r != null) {
            throw new JobCancelledException(jobId(), r.description);
        }
    }

    /**
     * Why the queue refused this job's token: it was cancelled (its client must hear so, not a silent
     * stop), or its lease went to another worker.
     */
    static StopReason whyRefused(JobQueue queue, String jobId) {
        boolean cancelled = queue.find(jobId).map(j -> j.state() == JobState.CANCELLED).orElse(false);
        return cancelled ? StopReason.CANCELLED : StopReason.LEASE_LOST;
    }

    /** Tells the handler to stop; the first reason wins. */
    void stop(StopReason reason) {
        synchronized (this) {
            if (stopReason == null) {
                stopReason = reason;
            }
        }
    }

    StopReason stopReason() {
        return stopReason;
    }

    @Override
    public Optional<Checkpoint> checkpoint() {
        return Optional.ofNullable(checkpoint);
    }

    @Override
    public Checkpoint saveCheckpoint(String phase, String lastProcessedFile, int processedFileCount,
            int totalFileCount, String dataJson) {
        throwIfCancelled();
        Instant now = clock.instant();
        Checkpoint previous = checkpoint;
        Checkpoint c = new Checkpoint(jobId(), projectId == null ? "" : projectId, phase, lastProcessedFile,
                processedFileCount, totalFileCount, dataJson, previous == null ? now : previous.createdAt(), now);
        // fencing: the lease check and the save are one step, so only the current lease holder writes
        if (!queue.heartbeat(jobId(), lease.fencingToken(), leaseDuration, () -> checkpoints.save(c))) {
            stop(whyRefused(queue, jobId()));
            throwIfCancelled();
        }
        leaseExpiresAt = now.plus(leaseDuration);
        checkpoint = c;
        metrics.checkpointSaved();
        return c;
    }

    @Override
    public void onCompletion(Runnable writes) {
        completionWrites.add(Objects.requireNonNull(writes, "writes"));
    }

    @Override
    public void afterCompletion(Runnable cleanup) {
        cleanups.add(Objects.requireNonNull(cleanup, "cleanup"));
    }

    /** Runs the cleanups in order after a recorded completion; one that throws is logged and the rest still run. */
    void runCleanups() {
        for (Runnable c : cleanups) {
            try {
                c.run();
            } catch (RuntimeException e) {
                LOG.warn("a cleanup after job {} completed failed: {}", jobId(), e.toString());
            }
        }
    }

    /** Runs the deferred writes in order; the queue calls this inside the fenced completion. */
    void runCompletionWrites() {
        for (Runnable w : completionWrites) {
            w.run();
        }
    }

    Duration leaseDuration() {
        return leaseDuration;
    }

    @Override
    public int checkpointIntervalFiles() {
        return checkpointInterval;
    }

    @Override
    public void publish(ProgressEvent event) {
        events.publish(event);
    }

    @Override
    public void progress(Phase phase, int processedFiles, int totalFiles, String message) {
        events.publish(new ProgressUpdate(projectId, jobId(), phase, percent(processedFiles, totalFiles), processedFiles,
                totalFiles, message));
    }

    /** The percent of a phase with {@code processed} of {@code total} done; a phase with no files is done. */
    static double percent(int processed, int total) {
        return total <= 0 ? 100.0 : Math.min(100.0, processed * 100.0 / total);
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
