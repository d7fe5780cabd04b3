package dev.aar.core.worker;

import dev.aar.core.event.EventPublisher;
import dev.aar.core.event.JobCompleted;
import dev.aar.core.event.JobDeadLettered;
import dev.aar.core.event.JobFailed;
import dev.aar.core.metrics.AarMetrics;
import dev.aar.core.redact.ClientError;
import dev.aar.queue.CheckpointStore;
import dev.aar.queue.Job;
import dev.aar.queue.JobQueue;
import dev.aar.queue.JobState;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one claimed job through its handler and records the outcome: complete, retry, dead letter or cancel. */
final class JobRunner {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    private static final int MAX_ERROR_LENGTH = 4_000;

    private final JobQueue queue;
    private final Map<String, JobHandler> handlers;
    private final CheckpointStore checkpoints;
    private final EventPublisher events;
    private final AarMetrics metrics;
    private final RetryPolicy retryPolicy;
    private final Clock clock;

    JobRunner(JobQueue queue, Map<String, JobHandler> handlers, CheckpointStore checkpoints, EventPublisher events,
            AarMetrics metrics, RetryPolicy retryPolicy, Clock clock) {
        this.queue = queue;
        this.handlers = handlers;
        this.checkpoints = checkpoints;
        this.events = events;
        this.metrics = metrics;
        this.retryPolicy = retryPolicy;
        this.clock = clock;
    }

    void run(RunningJob ctx) {
        Job job = ctx.job();
        JobHandler handler = handlers.get(job.type());
        String result = null;
        Throwable failure;
        ClientError refusal = null;
        boolean giveUp = handler == null || job.attempts() > retryPolicy.maxAttempts();
        if (handler == null) {
            refusal = ClientError.of("job.no_handler", "no handler for job type '" + job.type() + "'; this pool runs "
                    + handlers.keySet());
            failure = new IllegalStateException(refusal.message());
        } else if (job.attempts() > retryPolicy.maxAttempts()) {
            // the earlier attempts never reported (their workers died), so the job may be what kills them
            refusal = ClientError.of("job.attempts_exceeded", "attempt " + job.attempts() + " exceeds the "
                    + retryPolicy.maxAttempts() + " allowed; earlier attempts lost their lease without reporting");
            failure = new IllegalStateException(refusal.message());
        } else {
            failure = null;
            try {
                result = handler.handle(ctx);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable t) {
                failure = t;
            }
        }
        try {
            settle(ctx, result, failure, refusal, giveUp);
        } catch (RuntimeException e) {
            log.error("could not record the outcome of job {}; its lease will lapse and it will run again",
                    job.id(), e);
        }
    }

    private void settle(RunningJob ctx, String result, Throwable failure, ClientError refusal, boolean deadLetterNow) {
        Job job = ctx.job();
        StopReason reason = ctx.stopReason();
        if (reason == StopReason.SHUTDOWN || reason == StopReason.LEASE_LOST) {
            log.info("job {} stopped: {}", job.id(), reason.description);
            return;
        }
        if (reason == StopReason.CANCELLED) {
            cancelled(ctx);
            return;
        }
        if (failure == null) {
            boolean completed;
            try {
                // the handler's deferred writes (report, quota) and the completion are one fenced step
                completed = queue.complete(job.id(), ctx.lease.fencingToken(), ctx.leaseDuration(),
                        ctx::runCompletionWrites);
            } catch (RuntimeException e) {
                // the writes (or the store) failed: the job was not completed, so this attempt failed
                completed = false;
                failure = e;
            }
            if (completed) {
                metrics.jobCompleted(job.priority(), ctx.elapsed());
                deleteCheckpoint(job.id());
                events.publish(new JobCompleted(ctx.projectId(), job.id(), true, result, null));
                ctx.runCleanups();
                return;
            }
            if (failure == null) {
                refused(ctx);
                return;
            }
        }
        // the queue, the job's API view and the events get the client's version; the log keeps the full
        // failure under the same correlation id
        ClientError shown = refusal != null ? refusal : describe(failure);
        String error = shown.text();
        Instant retryAt = deadLetterNow ? null : retryPolicy.retryAt(job.attempts(), clock.instant(), failure);
        if (!queue.fail(job.id(), ctx.lease.fencingToken(), error, retryAt)) {
            refused(ctx);
            return;
        }
        if (retryAt != null) {
            // warn, not info: the client was told that the log has the details under this correlation id, and
            // the quick-start server logs warnings and errors only
            log.warn("job {} attempt {} failed, retrying at {} [correlation id {}]: {}", job.id(), job.attempts(),
                    retryAt, shown.correlationId(), error, failure);
            metrics.jobFailed(job.priority(), AarMetrics.Outcome.RETRY, ctx.elapsed());
            events.publish(new JobFailed(ctx.projectId(), job.id(), job.attempts(), error, retryAt));
        } else {
            log.warn("job {} dead-lettered after attempt {} [correlation id {}]: {}", job.id(), job.attempts(),
                    shown.correlationId(), error, failure);
            metrics.jobFailed(job.priority(), AarMetrics.Outcome.DEAD_LETTER, ctx.elapsed());
            events.publish(new JobDeadLettered(ctx.projectId(), job.id(), job.attempts(), error));
            events.publish(new JobCompleted(ctx.projectId(), job.id(), false, null, error));
        }
    }

    /** The queue refused our token: the job was cancelled, or its lease went to another worker. */
    private void refused(RunningJob ctx) {
        Job now = queue.find(ctx.jobId()).orElse(null);
        if (now != null && now.state() == JobState.CANCELLED) {
            cancelled(ctx);
        } else {
            log.warn("job {} lost its lease before finishing; its outcome is discarded (fencing token {})",
                    ctx.jobId(), ctx.lease.fencingToken());
        }
    }

    private void cancelled(RunningJob ctx) {
        Job job = ctx.job();
        metrics.jobCancelled(job.priority(), ctx.elapsed());
        deleteCheckpoint(job.id());
        events.publish(new JobCompleted(ctx.projectId(), job.id(), false, null, "cancelled"));
    }

    /** The job has ended for good; a checkpoint left behind only wastes space, so a failure here is logged. */
    private void deleteCheckpoint(String jobId) {
        try {
            checkpoints.delete(jobId);
        } catch (RuntimeException e) {
            log.warn("could not delete the checkpoint of finished job {}", jobId, e);
        }
    }

    /** What a client may see of {@code t}: its code and, for refused input, its masked message, bounded in length. */
    static ClientError describe(Throwable t) {
        ClientError shown = ClientError.of(t);
        if (shown.message().length() <= MAX_ERROR_LENGTH) {
            return shown;
        }
        return new ClientError(shown.code(), shown.message().substring(0, MAX_ERROR_LENGTH) + "…", shown.correlationId());
    }
}
