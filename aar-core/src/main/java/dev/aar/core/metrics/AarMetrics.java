package dev.aar.core.metrics;

import dev.aar.queue.JobPriority;
import dev.aar.queue.JobQueue;
import dev.aar.queue.QueueStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The SDK's Micrometer meters, with the spec's names: this class owns every meter name, so a
 * dashboard built on the spec's table keeps working.
 *
 * <p>The names are the spec's in every registry: the duration histogram is {@value #JOBS_DURATION}
 * (recorded in seconds, the timer's base unit), not a name that only Prometheus's suffix completes;
 * Prometheus adds {@code _total} to counters: {@code aar_jobs_queued_total},
 * {@code aar_jobs_duration_seconds_bucket}, ...
 *
 * <p>{@value #JOBS_FAILED} counts jobs that failed for good (moved to the dead-letter queue), as the
 * spec's "failed jobs"; every failed attempt, retried or not, is counted in {@value #JOBS_ATTEMPTS_FAILED}.
 */
public final class AarMetrics {

    public static final String JOBS_QUEUED = "aar.jobs.queued";
    public static final String JOBS_COMPLETED = "aar.jobs.completed";
    public static final String JOBS_FAILED = "aar.jobs.failed";
    public static final String JOBS_ATTEMPTS_FAILED = "aar.jobs.attempts_failed";
    public static final String JOBS_DURATION = "aar.jobs.duration_seconds";
    public static final String QUEUE_LENGTH = "aar.queue.length";
    public static final String QUEUE_DEADLETTER_LENGTH = "aar.queue.deadletter_length";
    public static final String QUEUE_IN_FLIGHT = "aar.queue.in_flight";
    public static final String TOKENS_CONSUMED = "aar.tokens.consumed";
    public static final String EMBEDDINGS_CREATED = "aar.embeddings.created";
    public static final String CHECKPOINTS_SAVED = "aar.checkpoints.saved";
    /** Actual ÷ estimated processing time of each finished job: 1 is a perfect estimate. */
    public static final String PREFLIGHT_ESTIMATE_RATIO = "aar.preflight.estimate_ratio";

    /** Tag: the job's priority, "Critical", "High", "Normal" or "Low". */
    public static final String TAG_PRIORITY = "priority";
    /** Tag: how an attempt ended; see {@link Outcome}. */
    public static final String TAG_OUTCOME = "outcome";

    /** How long the queue gauges reuse one {@link QueueStats} read, so a scrape costs one query. */
    public static final Duration DEFAULT_STATS_MAX_AGE = Duration.ofSeconds(1);

    /** How a job attempt ended, as the {@value #TAG_OUTCOME} tag says it. */
    public enum Outcome {
        /** The job succeeded. */
        SUCCESS,
        /** The attempt failed and the job will be retried. */
        RETRY,
        /** The attempt failed and the job moved to the dead-letter queue. */
        DEAD_LETTER,
        /** The job was cancelled while it ran. */
        CANCELLED;

        /** Returns the tag value: "success", "retry", "dead_letter" or "cancelled". */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private final Map<JobPriority, Counter> queued = new EnumMap<>(JobPriority.class);
    private final Map<JobPriority, Counter> completed = new EnumMap<>(JobPriority.class);
    private final Map<JobPriority, Counter> failed = new EnumMap<>(JobPriority.class);
    private final Counter checkpointsSaved;
    private final Counter tokensConsumed;
    private final Counter embeddingsCreated;
    private final DistributionSummary estimateRatio;

    /** Registers the counters in {@code registry}; call {@link #bindQueue} for the queue gauges. */
    public AarMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        for (JobPriority p : JobPriority.values()) {
            queued.put(p, Counter.builder(JOBS_QUEUED).description("Jobs added to queue")
                    .tag(TAG_PRIORITY, priorityTag(p)).register(registry));
            completed.put(p, Counter.builder(JOBS_COMPLETED).description("Successfully completed jobs")
                    .tag(TAG_PRIORITY, priorityTag(p)).register(registry));
            failed.put(p, Counter.builder(JOBS_FAILED).description("Failed jobs (moved to the dead-letter queue)")
                    .tag(TAG_PRIORITY, priorityTag(p)).register(registry));
            for (Outcome o : List.of(Outcome.RETRY, Outcome.DEAD_LETTER)) {
                attemptsFailed(p, o);
            }
        }
        checkpointsSaved = Counter.builder(CHECKPOINTS_SAVED).description("Checkpoints written").register(registry);
        tokensConsumed = tokensConsumed(registry);
        embeddingsCreated = embeddingsCreated(registry);
        estimateRatio = DistributionSummary.builder(PREFLIGHT_ESTIMATE_RATIO)
                .description("Actual / estimated processing time of finished jobs").register(registry);
    }

    /**
     * The spec's {@value #TOKENS_CONSUMED} counter in {@code registry}, for code that counts without an
     * {@code AarMetrics} (the indexer); the same meter this class increments.
     */
    public static Counter tokensConsumed(MeterRegistry registry) {
        // no base unit: Prometheus would append it, and the spec's name is aar_tokens_consumed_total
        return Counter.builder(TOKENS_CONSUMED).description("Tokens used for embeddings").register(registry);
    }

    /** The spec's {@value #EMBEDDINGS_CREATED} counter in {@code registry}; the same meter this class increments. */
    public static Counter embeddingsCreated(MeterRegistry registry) {
        return Counter.builder(EMBEDDINGS_CREATED).description("Embeddings generated").register(registry);
    }

    /** Returns the registry the meters live in. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Returns the tag value of a priority: "Critical", "High", "Normal" or "Low". */
    public static String priorityTag(JobPriority p) {
        String n = p.name();
        return n.charAt(0) + n.substring(1).toLowerCase(Locale.ROOT);
    }

    /** Counts a job added to the queue. */
    public void jobQueued(JobPriority priority) {
        queued.get(priority).increment();
    }

    /** Counts a job that succeeded and records how long its attempt ran. */
    public void jobCompleted(JobPriority priority, Duration duration) {
        completed.get(priority).increment();
        timer(priority, Outcome.SUCCESS).record(duration);
    }

    /**
     * Counts a failed attempt ({@link Outcome#RETRY} or {@link Outcome#DEAD_LETTER}) in {@value #JOBS_ATTEMPTS_FAILED}
     * and its duration; a {@link Outcome#DEAD_LETTER} one is also a job failed for good, in {@value #JOBS_FAILED}.
     */
    public void jobFailed(JobPriority priority, Outcome outcome, Duration duration) {
        if (outcome != Outcome.RETRY && outcome != Outcome.DEAD_LETTER) {
            throw new IllegalArgumentException("a failure's outcome is retry or dead_letter, was " + outcome.tag());
        }
        attemptsFailed(priority, outcome).increment();
        if (outcome == Outcome.DEAD_LETTER) {
            failed.get(priority).increment();
        }
        timer(priority, outcome).record(duration);
    }

    private Counter attemptsFailed(JobPriority priority, Outcome outcome) {
        return Counter.builder(JOBS_ATTEMPTS_FAILED).description("Failed job attempts, retried or not")
                .tag(TAG_PRIORITY, priorityTag(priority)).tag(TAG_OUTCOME, outcome.tag()).register(registry);
    }

    /** Records the duration of an attempt that ended because the job was cancelled. */
    public void jobCancelled(JobPriority priority, Duration duration) {
        timer(priority, Outcome.CANCELLED).record(duration);
    }

    private Timer timer(JobPriority priority, Outcome outcome) {
        return Timer.builder(JOBS_DURATION).description("Job processing duration")
                .tag(TAG_PRIORITY, priorityTag(priority)).tag(TAG_OUTCOME, outcome.tag())
                .publishPercentileHistogram().register(registry);
    }

    /** Counts a checkpoint written. */
    public void checkpointSaved() {
        checkpointsSaved.increment();
    }

    /** Counts tokens sent to the embedding provider. */
    public void tokensConsumed(long tokens) {
        tokensConsumed.increment(tokens);
    }

    /** Records how a finished job's actual processing time compares with preflight's estimate. */
    public void estimateRatio(double actualOverEstimated) {
        estimateRatio.record(actualOverEstimated);
    }

    /** Counts embeddings received from the embedding provider. */
    public void embeddingsCreated(long embeddings) {
        embeddingsCreated.increment(embeddings);
    }

    /**
     * Registers the gauges {@value #QUEUE_LENGTH} (jobs waiting, all priorities),
     * {@value #QUEUE_DEADLETTER_LENGTH} and {@value #QUEUE_IN_FLIGHT}, read from
     * {@link JobQueue#stats()} at most once per {@link #DEFAULT_STATS_MAX_AGE}.
     */
    public void bindQueue(JobQueue queue) {
        StatsCache stats = new StatsCache(queue, DEFAULT_STATS_MAX_AGE);
        Gauge.builder(QUEUE_LENGTH, stats, s -> s.get().queued()).description("Current queue depth")
                .strongReference(true).register(registry);
        Gauge.builder(QUEUE_DEADLETTER_LENGTH, stats, s -> s.get().deadLettered())
                .description("Dead-letter queue depth").strongReference(true).register(registry);
        Gauge.builder(QUEUE_IN_FLIGHT, stats, s -> s.get().inFlight()).description("Jobs leased to workers")
                .strongReference(true).register(registry);
    }
}
