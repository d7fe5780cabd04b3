package dev.aar.core.worker;

import dev.aar.core.error.JobCancelledException;
import dev.aar.core.event.Phase;
import dev.aar.core.event.ProgressEvent;
import dev.aar.queue.Checkpoint;
import dev.aar.queue.Job;
import java.time.Instant;
import java.util.Optional;

/** A {@link JobContext} for tests of one piece of a job: it can be stopped and keeps the last checkpoint saved. */
public final class StubJob implements JobContext {

    /** Set to make the job count as cancelled. */
    public volatile boolean stopped;
    /** The last checkpoint saved, or null. */
    public volatile Checkpoint last;

    @Override
    public Job job() {
        throw new UnsupportedOperationException("a stub job has no queue record");
    }

    @Override
    public String jobId() {
        return "job-1";
    }

    @Override
    public String projectId() {
        return "p1";
    }

    @Override
    public boolean isCancelled() {
        return stopped;
    }

    @Override
    public void throwIfCancelled() {
        if (stopped) {
            throw new JobCancelledException(jobId(), "cancelled");
        }
    }

    @Override
    public Optional<Checkpoint> checkpoint() {
        return Optional.ofNullable(last);
    }

    @Override
    public Checkpoint saveCheckpoint(String phase, String lastFile, int processed, int total, String data) {
        last = new Checkpoint(jobId(), projectId(), phase, lastFile, processed, total, data, Instant.EPOCH, Instant.EPOCH);
        return last;
    }

    @Override
    public void onCompletion(Runnable writes) {
    }

    @Override
    public int checkpointIntervalFiles() {
        return 100;
    }

    @Override
    public void publish(ProgressEvent event) {
    }

    @Override
    public void progress(Phase phase, int processedFiles, int totalFiles, String message) {
    }
}
