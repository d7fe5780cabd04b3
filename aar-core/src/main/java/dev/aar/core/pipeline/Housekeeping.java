package dev.aar.core.pipeline;

import dev.aar.core.internal.Threads;
import dev.aar.core.storage.RetentionSweeper;
import dev.aar.core.upload.UploadSessionSweeper;
import dev.aar.queue.JobQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic clean-up a long-running node needs, in one place: expired upload sessions and their
 * parts, projects past {@code StoragePolicy.RetentionDays} with everything derived from them,
 * finished jobs past their retention, and work directories that finished jobs left behind.
 *
 * <p>Every step is idempotent and safe to run on several nodes at once (each deletes what it finds
 * and ignores what another node deleted first), so a cluster simply runs it on every node. A step
 * that fails is logged and retried on the next round; it never stops the others.
 *
 * <p>{@code Aar.startHousekeeping()} wires and starts one; {@link #runOnce(Instant)} runs a round
 * synchronously (tests, or a host with its own scheduler).
 */
public final class Housekeeping implements AutoCloseable {

    /** How often a round runs unless configured otherwise. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(10);

    /** How long after {@link #start()} the first round runs. */
    public static final Duration FIRST_ROUND_DELAY = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);

    private final UploadSessionSweeper uploads;
    private final RetentionSweeper retention;
    private final AnalysisService analysis;
    private final JobQueue jobs;
    private final Duration jobRetention;
    private final Clock clock;
    private volatile boolean jobPurgeUnsupported;
    private final Duration interval;
    private ScheduledExecutorService executor;

    /** What one round removed. */
    public record Round(int uploadSessions, int projects, int jobs, int workDirectories) {

        /** Returns whether the round removed anything. */
        public boolean removedAnything() {
            return uploadSessions + projects + jobs + workDirectories > 0;
        }
    }

    private Housekeeping(Builder b) {
        this.uploads = b.uploads;
        this.retention = b.retention;
        this.analysis = b.analysis;
        this.jobs = b.jobs;
        this.jobRetention = b.jobRetention;
        this.clock = b.clock;
        this.interval = b.interval;
    }

    /** Starts configuring housekeeping; every step is optional. */
    public static Builder builder() {
        return new Builder();
    }

    /** Runs every configured step once, now; a failing step is logged and counts 0. */
    public Round runOnce(Instant now) {
        int sessions = step("upload session sweep", () -> uploads == null ? 0 : uploads.sweep(now));
        int projects = step("retention sweep", () -> retention == null ? 0 : retention.sweep(now));
        int purged = step("finished job purge", () -> purgeJobs(now));
        // after the purge: the work directories of purged jobs belong to unknown jobs now
        int dirs = step("work directory sweep", () -> analysis == null ? 0 : analysis.sweepWorkspaces());
        Round round = new Round(sessions, projects, purged, dirs);
        if (round.removedAnything()) {
            log.info("housekeeping removed {} upload sessions, {} projects past retention, {} finished jobs, "
                    + "{} work directories", sessions, projects, purged, dirs);
        }
        return round;
    }

    private int purgeJobs(Instant now) {
        if (jobs == null || jobRetention.isZero() || jobPurgeUnsupported) {
            return 0;
        }
        try {
            // dead letters stay: they are what an operator inspects and re-drives
            return jobs.purgeFinished(now.minus(jobRetention), false);
        } catch (UnsupportedOperationException e) {
            jobPurgeUnsupported = true;
            log.info("the job queue {} cannot purge finished jobs; they are kept ({})", jobs.getClass().getName(),
                    e.getMessage());
            return 0;
        }
    }

    private interface Step {
        int run();
    }

    private static int step(String what, Step step) {
        try {
            return step.run();
        } catch (RuntimeException e) {
            log.warn("{} failed; it runs again next round", what, e);
            return 0;
        }
    }

    /**
     * Runs a round after {@link #FIRST_ROUND_DELAY} (or the interval, if shorter) and then every interval on a daemon thread until {@link #close()}.
     *
     * @throws IllegalStateException if already started
     */
    public synchronized Housekeeping start() {
        if (executor != null) {
            throw new IllegalStateException("housekeeping is already running");
        }
        executor = Executors.newSingleThreadScheduledExecutor(Threads.daemon("aar-housekeeping"));
        // the first round waits a little: a node that just started has its own start-up sweeps running
        long first = Math.min(interval.toMillis(), FIRST_ROUND_DELAY.toMillis());
        executor.scheduleWithFixedDelay(() -> runOnce(clock.instant()), first, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Returns the time between rounds. */
    public Duration interval() {
        return interval;
    }

    /** Stops the schedule; a round in progress finishes its current step first (waits up to 30 s). */
    @Override
    public synchronized void close() {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Configures {@link Housekeeping}. */
    public static final class Builder {
        private UploadSessionSweeper uploads;
        private RetentionSweeper retention;
        private AnalysisService analysis;
        private JobQueue jobs;
        private Duration jobRetention = Duration.ZERO;
        private Clock clock = Clock.systemUTC();
        private Duration interval = DEFAULT_INTERVAL;

        private Builder() {
        }

        /** Removes expired upload sessions (and their staged parts) and forgets long-closed ones. */
        public Builder uploads(UploadSessionSweeper v) {
            this.uploads = Objects.requireNonNull(v, "uploads");
            return this;
        }

        /** Deletes projects past {@code StoragePolicy.RetentionDays}. */
        public Builder retention(RetentionSweeper v) {
            this.retention = Objects.requireNonNull(v, "retention");
            return this;
        }

        /** Deletes work directories of finished or unknown jobs ({@link AnalysisService#sweepWorkspaces()}). */
        public Builder analysis(AnalysisService v) {
            this.analysis = Objects.requireNonNull(v, "analysis");
            return this;
        }

        /**
         * Deletes succeeded and cancelled jobs of {@code queue} that finished more than {@code retention}
         * ago ({@link JobQueue#purgeFinished}); dead letters are kept. A zero retention keeps every job.
         */
        public Builder finishedJobs(JobQueue queue, Duration retention) {
            this.jobs = Objects.requireNonNull(queue, "queue");
            Objects.requireNonNull(retention, "retention");
            if (retention.isNegative()) {
                throw new IllegalArgumentException("job retention must be zero or more, was " + retention);
            }
            this.jobRetention = retention;
            return this;
        }

        /** The time rounds run at (default: the UTC system clock). */
        public Builder clock(Clock v) {
            this.clock = Objects.requireNonNull(v, "clock");
            return this;
        }

        /** Time between the end of one round and the start of the next (default {@link #DEFAULT_INTERVAL}). */
        public Builder interval(Duration v) {
            Objects.requireNonNull(v, "interval");
            if (v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException("interval must be positive, was " + v);
            }
            this.interval = v;
            return this;
        }

        public Housekeeping build() {
            return new Housekeeping(this);
        }
    }
}
