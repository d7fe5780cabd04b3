package dev.aar.core.worker;

import dev.aar.core.config.WorkerProcessing;
import dev.aar.core.event.EventPublisher;
import dev.aar.core.internal.Threads;
import dev.aar.core.memory.InMemoryCheckpointStore;
import dev.aar.core.metrics.AarMetrics;
import dev.aar.queue.CheckpointStore;
import dev.aar.queue.ClaimOrder;
import dev.aar.queue.JobPriority;
import dev.aar.queue.JobQueue;
import dev.aar.queue.Lease;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs queued jobs: {@code MaxConcurrentJobs} worker slots that claim, heartbeat, run a
 * {@link JobHandler} and record the outcome.
 *
 * <p><b>Starvation policy.</b> All {@code MaxConcurrentJobs} slots run jobs of any priority, as the
 * spec says. A host that wants a pool saturated by long Low jobs to still start a Critical job at
 * once opts in with {@code WorkerProcessing.ReservedCriticalSlots} or {@link Builder#reservedCriticalSlots}
 * (default 0): with two or more slots, that many claim only Critical jobs. The other slots claim highest priority first, except
 * that every {@link Builder#fairShareInterval}-th claim (default every 5th) takes the job enqueued
 * earliest whatever its priority ({@link ClaimOrder#AGE}), so under a steady stream of High jobs
 * a Low job still starts after at most the jobs enqueued before it have been taken by those turns.
 *
 * <p><b>Shutdown.</b> {@link #close()} stops claiming, gives running jobs {@code ShutdownGraceSeconds}
 * to finish, then tells the rest to stop and releases their leases, so another worker resumes them
 * from their last checkpoint at once rather than after a lease expiry.
 */
public final class WorkerPool implements AutoCloseable {

    /** Slots that only claim Critical jobs, taken from MaxConcurrentJobs when it is 2 or more: none unless the host opts in. */
    public static final int DEFAULT_RESERVED_CRITICAL_SLOTS = WorkerProcessing.DEFAULT_RESERVED_CRITICAL_SLOTS;
    /** Every n-th claim of a general slot is oldest-first rather than highest-priority-first. */
    public static final int DEFAULT_FAIR_SHARE_INTERVAL = 5;
    /** Longest an idle slot waits before it looks at the queue again (it is woken earlier by new work). */
    public static final Duration DEFAULT_IDLE_WAIT = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
    private static final AtomicInteger POOLS = new AtomicInteger();
    private static final int IDLE = 0;
    private static final int BUSY = 1;
    private static final int STOPPED = 2;

    private final JobQueue queue;
    private final JobClient client;
    private final JobRunner runner;
    private final WorkerProcessing config;
    private final CheckpointStore checkpoints;
    private final EventPublisher events;
    private final AarMetrics metrics;
    private final Clock clock;
    private final Duration leaseDuration;
    private final int reservedCriticalSlots;
    private final int fairShareInterval;
    private final Duration idleWait;
    private final String name;
    private final Map<String, RunningJob> running = new ConcurrentHashMap<>();
    private final AtomicLong generalClaims = new AtomicLong();
    private final List<Slot> slots = new ArrayList<>();
    private final ScheduledExecutorService heartbeats;
    private volatile boolean stopping;
    private boolean started;

    private WorkerPool(Builder b) {
        this.queue = b.queue;
        this.config = b.config;
        this.checkpoints = b.checkpoints;
        this.events = b.events;
        this.metrics = b.metrics;
        this.clock = b.clock;
        this.leaseDuration = Duration.ofSeconds(config.leaseSeconds());
        this.reservedCriticalSlots = config.maxConcurrentJobs() >= 2
                ? Math.min(b.reservedCriticalSlots != null ? b.reservedCriticalSlots : config.reservedCriticalSlots(),
                        config.maxConcurrentJobs() - 1) : 0;
        this.fairShareInterval = b.fairShareInterval;
        this.idleWait = b.idleWait;
        this.name = b.name;
        this.client = new JobClient(queue, events, metrics, clock);
        RetryPolicy policy = b.retryPolicy != null ? b.retryPolicy : RetryPolicy.of(config);
        this.runner = new JobRunner(queue, Map.copyOf(b.handlers), checkpoints, events, metrics, policy, clock);
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(Threads.daemon(name + "-heartbeat"));
    }

    /** Starts configuring a pool that takes its jobs from {@code queue}. */
    public static Builder builder(JobQueue queue) {
        return new Builder(queue);
    }

    /** Starts the worker threads; returns this pool. */
    public synchronized WorkerPool start() {
        if (started) {
            throw new IllegalStateException("worker pool " + name + " is already started");
        }
        started = true;
        for (int i = 0; i < config.maxConcurrentJobs(); i++) {
            JobPriority floor = i < reservedCriticalSlots ? JobPriority.CRITICAL : JobPriority.LOW;
            Slot slot = new Slot(name + "-" + i, floor);
            Thread t = new Thread(slot, slot.workerId);
            t.setDaemon(true); // a handler that ignores cancellation must not keep the JVM alive
            slot.thread = t;
            slots.add(slot);
        }
        slots.forEach(s -> s.thread.start());
        log.info("worker pool {} started: {} slots ({} reserved for Critical), lease {}", name,
                slots.size(), reservedCriticalSlots, leaseDuration);
        return this;
    }

    /** Returns the client this pool uses to enqueue and cancel jobs. */
    public JobClient client() {
        return client;
    }

    /** Returns the ids of the jobs running in this pool now. */
    public Set<String> runningJobs() {
        return Set.copyOf(running.keySet());
    }

    /**
     * Cancels a job; if it runs in this pool, its handler is told at once (elsewhere, at its next
     * heartbeat). Returns false if the job is unknown or already finished.
     */
    public boolean cancel(String jobId) {
        boolean cancelled = client.cancel(jobId);
        RunningJob job = running.get(jobId);
        if (cancelled && job != null) {
            job.stop(StopReason.CANCELLED);
        }
        return cancelled;
    }

    /** Tells a job running in this pool that another client in this process cancelled it. */
    void cancelledElsewhere(String jobId) {
        RunningJob job = running.get(jobId);
        if (job != null) {
            job.stop(StopReason.CANCELLED);
        }
    }

    /** Shuts down with {@code ShutdownGraceSeconds} of grace; see {@link #shutdown(Duration)}. */
    @Override
    public void close() {
        shutdown(Duration.ofSeconds(config.shutdownGraceSeconds()));
    }

    /**
     * Stops claiming, waits up to {@code grace} for running jobs to finish, then stops the rest
     * and releases their leases; returns once the slots have ended or another {@code grace} passed.
     */
    public void shutdown(Duration grace) {
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
        }
        for (Slot s : slots) {
            if (s.state.compareAndSet(IDLE, STOPPED)) {
                s.thread.interrupt(); // only idle slots: a running handler is never interrupted
            }
        }
        long deadline = System.nanoTime() + grace.toNanos();
        joinSlots(deadline);
        for (RunningJob job : running.values()) {
            job.stop(StopReason.SHUTDOWN);
            try {
                if (queue.release(job.jobId(), job.lease.fencingToken())) {
                    log.info("job {} did not finish within {}; its lease is released for another worker",
                            job.jobId(), grace);
                }
            } catch (RuntimeException e) {
                log.warn("could not release job {}; it is claimable again when its lease lapses", job.jobId(), e);
            }
        }
        joinSlots(System.nanoTime() + Math.max(grace.toNanos(), TimeUnit.SECONDS.toNanos(1)));
        heartbeats.shutdownNow();
        log.info("worker pool {} stopped", name);
    }

    private void joinSlots(long deadlineNanos) {
        for (Slot s : slots) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                s.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void execute(Lease lease) {
        RunningJob job = new RunningJob(lease, queue, checkpoints, events, metrics, clock, leaseDuration,
                config.checkpointIntervalFiles());
        running.put(lease.jobId(), job);
        long every = Math.max(1, leaseDuration.toMillis() / 3);
        ScheduledFuture<?> beat = heartbeats.scheduleAtFixedRate(() -> heartbeat(job), every, every,
                TimeUnit.MILLISECONDS);
        try {
            runner.run(job);
        } finally {
            beat.cancel(false);
            running.remove(lease.jobId());
        }
    }

    private void heartbeat(RunningJob job) {
        if (job.isCancelled()) {
            return;
        }
        try {
            if (queue.heartbeat(job.jobId(), job.lease.fencingToken(), leaseDuration)) {
                job.leaseExpiresAt = clock.instant().plus(leaseDuration);
                return;
            }
            job.stop(RunningJob.whyRefused(queue, job.jobId()));
        } catch (RuntimeException e) {
            Instant expires = job.leaseExpiresAt;
            log.warn("heartbeat of job {} failed; the lease lapses at {}", job.jobId(), expires, e);
            if (!clock.instant().isBefore(expires)) {
                job.stop(StopReason.LEASE_LOST);
            }
        }
    }

    @Override
    public String toString() {
        return "WorkerPool[" + name + ", " + config.maxConcurrentJobs() + " slots]";
    }

    /** One worker thread: claims a job at a time at or above its priority floor. */
    private final class Slot implements Runnable {
        final String workerId;
        final JobPriority floor;
        final AtomicInteger state = new AtomicInteger(IDLE);
        Thread thread;

        Slot(String workerId, JobPriority floor) {
            this.workerId = workerId;
            this.floor = floor;
        }

        @Override
        public void run() {
            while (!stopping) {
                if (!state.compareAndSet(BUSY, IDLE) && state.get() == STOPPED) {
                    break;
                }
                Lease lease;
                try {
                    lease = claim();
                    if (lease == null) {
                        queue.awaitWork(idleWait, floor);
                        continue;
                    }
                } catch (InterruptedException e) {
                    break;
                } catch (RuntimeException e) {
                    log.warn("worker {} could not claim; retrying in {}", workerId, idleWait, e);
                    if (!pause()) {
                        break;
                    }
                    continue;
                }
                if (!state.compareAndSet(IDLE, BUSY)) {
                    Thread.interrupted(); // shutdown got here first: hand the job straight back
                    queue.release(lease.jobId(), lease.fencingToken());
                    break;
                }
                try {
                    execute(lease);
                } catch (RuntimeException e) {
                    // e.g. the checkpoint store is down: the lease lapses and the job runs again later
                    log.error("worker {} could not run job {}", workerId, lease.jobId(), e);
                }
            }
            state.set(STOPPED);
        }

        private Lease claim() {
            ClaimOrder order = ClaimOrder.PRIORITY;
            if (floor == JobPriority.LOW && generalClaims.get() % fairShareInterval == fairShareInterval - 1) {
                order = ClaimOrder.AGE;
            }
            List<Lease> leases = queue.claim(workerId, 1, leaseDuration, floor, order);
            if (leases.isEmpty()) {
                return null;
            }
            if (floor == JobPriority.LOW) {
                generalClaims.incrementAndGet();
            }
            return leases.get(0);
        }

        private boolean pause() {
            try {
                Thread.sleep(idleWait.toMillis());
                return true;
            } catch (InterruptedException e) {
                return false;
            }
        }
    }

    /** Configures a {@link WorkerPool}; everything but the queue and the handlers has a default. */
    public static final class Builder {
        private final JobQueue queue;
        private final Map<String, JobHandler> handlers = new LinkedHashMap<>();
        private WorkerProcessing config = WorkerProcessing.defaults();
        private CheckpointStore checkpoints;
        private EventPublisher events = EventPublisher.discarding();
        private AarMetrics metrics;
        private Clock clock = Clock.systemUTC();
        private RetryPolicy retryPolicy;
        /** Null: {@code WorkerProcessing.ReservedCriticalSlots}. */
        private Integer reservedCriticalSlots;
        private int fairShareInterval = DEFAULT_FAIR_SHARE_INTERVAL;
        private Duration idleWait = DEFAULT_IDLE_WAIT;
        private String name = "aar-worker-" + POOLS.incrementAndGet();

        private Builder(JobQueue queue) {
            this.queue = Objects.requireNonNull(queue, "queue");
        }

        /** Adds handlers, one per job type. */
        public Builder handlers(JobHandler... handlers) {
            for (JobHandler h : handlers) {
                handler(h);
            }
            return this;
        }

        /** Adds a handler; a type may have one handler only. */
        public Builder handler(JobHandler handler) {
            Objects.requireNonNull(handler, "handler");
            JobHandler previous = handlers.putIfAbsent(handler.type(), handler);
            if (previous != null) {
                throw new IllegalArgumentException("job type '" + handler.type() + "' already has handler " + previous);
            }
            return this;
        }

        /** Slots, lease, checkpoint interval, retries and grace come from here (default: the spec's defaults). */
        public Builder config(WorkerProcessing config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Where handlers' checkpoints go (default: in memory). */
        public Builder checkpointStore(CheckpointStore store) {
            this.checkpoints = Objects.requireNonNull(store, "checkpointStore");
            return this;
        }

        /** Where events go (default: nowhere). */
        public Builder events(EventPublisher events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        /** Where metrics go (default: a private {@link SimpleMeterRegistry}). */
        public Builder metrics(AarMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** The clock for retry times (default: the system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Replaces the policy built from {@code MaxRetryAttempts} and {@code RetryDelaySeconds} (for tests). */
        Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
            return this;
        }

        /**
         * Slots that claim only Critical jobs, overriding {@code WorkerProcessing.ReservedCriticalSlots}; capped at
         * MaxConcurrentJobs − 1 (0 disables the reservation).
         */
        public Builder reservedCriticalSlots(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("reservedCriticalSlots must be >= 0, was " + n);
            }
            this.reservedCriticalSlots = n;
            return this;
        }

        /** Every n-th claim of a general slot takes the oldest job whatever its priority (1 = always). */
        public Builder fairShareInterval(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("fairShareInterval must be >= 1, was " + n);
            }
            this.fairShareInterval = n;
            return this;
        }

        /** Longest an idle slot waits for a wake-up before it looks at the queue again. */
        public Builder idleWait(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("idleWait must be positive, was " + d);
            }
            this.idleWait = d;
            return this;
        }

        /** Names the pool's threads and worker ids (default: aar-worker-N). */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Builds the pool; call {@link WorkerPool#start()} to run it. */
        public WorkerPool build() {
            if (handlers.isEmpty()) {
                throw new IllegalStateException("a worker pool needs at least one JobHandler");
            }
            if (checkpoints == null) {
                checkpoints = new InMemoryCheckpointStore();
            }
            if (metrics == null) {
                metrics = new AarMetrics(new SimpleMeterRegistry());
            }
            return new WorkerPool(this);
        }
    }
}
