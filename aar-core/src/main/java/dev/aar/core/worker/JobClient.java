package dev.aar.core.worker;

import dev.aar.core.event.EventPublisher;
import dev.aar.core.event.JobCompleted;
import dev.aar.core.event.JobQueued;
import dev.aar.core.internal.Json;
import dev.aar.core.metrics.AarMetrics;
import dev.aar.queue.Job;
import dev.aar.queue.JobQueue;
import dev.aar.queue.JobRequest;
import dev.aar.queue.JobState;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Enqueues and cancels jobs with the SDK's bookkeeping around the bare {@link JobQueue}: the
 * {@code aar.jobs.queued} counter and the {@code JobQueued} / {@code JobCompleted} events.
 */
public final class JobClient {


    private final JobQueue queue;
    private final EventPublisher events;
    private final AarMetrics metrics;
    private final Clock clock;
    private final java.util.List<java.util.function.Consumer<String>> cancelled = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A client of {@code queue} that reports to {@code events} and {@code metrics}. */
    public JobClient(JobQueue queue, EventPublisher events, AarMetrics metrics, Clock clock) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.events = Objects.requireNonNull(events, "events");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Returns the queue this client works on. */
    public JobQueue queue() {
        return queue;
    }

    /** Enqueues a job (or returns the existing one with the same idempotency key). */
    public Job enqueue(JobRequest request) {
        Instant before = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Job job = queue.enqueue(request);
        if (isNew(request, job, before)) {
            announce(job);
        }
        return job;
    }

    /** Enqueues several jobs at once; see {@link #enqueue}. */
    public List<Job> enqueueAll(List<JobRequest> requests) {
        Instant before = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<Job> jobs = queue.enqueueAll(requests);
        Set<String> announced = new HashSet<>();
        for (int i = 0; i < jobs.size(); i++) {
            Job job = jobs.get(i);
            if (isNew(requests.get(i), job, before) && announced.add(job.id())) {
                announce(job);
            }
        }
        return jobs;
    }

    /**
     * A request without an idempotency key always creates a job. With a key, the queue may have
     * returned an earlier job: one created before this call is not new (a repeat within the same
     * millisecond as its original cannot be told apart and is counted again).
     */
    private static boolean isNew(JobRequest request, Job job, Instant before) {
        if (request.idempotencyKey() == null) {
            return true;
        }
        return job.state() == JobState.QUEUED && job.attempts() == 0 && !job.createdAt().isBefore(before);
    }

    private void announce(Job job) {
        metrics.jobQueued(job.priority());
        events.publish(new JobQueued(projectIdOf(job), job.id(), AarMetrics.priorityTag(job.priority())));
    }

    /**
     * Cancels a queued or running job. A queued job ends at once with a {@code JobCompleted}
     * event; a running one is stopped cooperatively by its worker, which reports the end.
     *
     * @return false if the job is unknown or already finished
     */
    public boolean cancel(String jobId) {
        Job before = queue.find(jobId).orElse(null);
        if (before == null || !queue.cancel(jobId)) {
            return false;
        }
        if (before.state() == JobState.QUEUED) {
            events.publish(new JobCompleted(projectIdOf(before), jobId, false, null, "cancelled"));
        }
        for (java.util.function.Consumer<String> local : cancelled) {
            local.accept(jobId);
        }
        return true;
    }

    /**
     * Also tells {@code pool} of every job this client cancels, so a job running in this process stops
     * at once rather than at its worker's next heartbeat (which is how other nodes learn of a cancel).
     */
    public void tellOnCancel(WorkerPool pool) {
        cancelled.add(pool::cancelledElsewhere);
    }

    static String projectIdOf(Job job) {
        try {
            var id = Json.read(job.payload()).get("projectId");
            return id == null || id.isNull() ? null : id.asText();
        } catch (Exception notJson) {
            return null;
        }
    }
}
