package dev.aar.core.memory;

import dev.aar.queue.ClaimOrder;
import dev.aar.queue.Job;
import dev.aar.queue.JobError;
import dev.aar.queue.JobPriority;
import dev.aar.queue.JobQueue;
import dev.aar.queue.JobRequest;
import dev.aar.queue.JobState;
import dev.aar.queue.Lease;
import dev.aar.queue.QueueStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

/**
 * A {@link JobQueue} in memory: the embedded default, fast enough that the queue is never the
 * bottleneck of a single process.
 *
 * <p>One lock guards everything; each operation is a few heap or tree steps under it. Waiting
 * workers sleep on a condition that {@link #enqueue} signals, so an idle worker starts a new job
 * without polling delay. Expired leases are taken back lazily by the next operation that looks,
 * so a job whose worker died is claimable the moment its lease lapses.
 *
 * <p>Finished jobs (succeeded or cancelled) are kept for {@link #find} and idempotency only up to
 * {@code retainedFinishedJobs}, oldest dropped first, or until {@link #purgeFinished} deletes them;
 * dead letters are kept until re-driven or purged.
 * Nothing survives a restart: use the JDBC backend for durability.
 */
public final class InMemoryJobQueue implements JobQueue {

    /** How many finished jobs stay visible to {@link #find} and to idempotency keys by default. */
    public static final int DEFAULT_RETAINED_FINISHED_JOBS = 100_000;

    private static final int LEVELS = JobPriority.values().length;
    private static final Comparator<Entry> BY_SEQ = Comparator.comparingLong(e -> e.seq);

    private final Clock clock;
    private final int retainedFinishedJobs;
    private final String idPrefix;

    private final ReentrantLock lock = new ReentrantLock();
    /** wakes[p] wakes workers waiting for work of priority p or higher. */
    private final Condition[] wakes = new Condition[LEVELS];
    private final int[] waiters = new int[LEVELS];

    private final Map<String, Entry> byId = new HashMap<>();
    private final Map<String, Entry> byKey = new HashMap<>();
    /** Due jobs per priority, FIFO by seq; cancelled entries are skipped lazily. */
    @SuppressWarnings({"unchecked", "rawtypes"}) // generic array: the heaps are created typed in the constructor
    private final PriorityQueue<Entry>[] ready = new PriorityQueue[LEVELS];
    /** Jobs waiting for their run-at time. */
    private final PriorityQueue<Entry> scheduled = new PriorityQueue<>(
            Comparator.<Entry, Instant>comparing(e -> e.runAt).thenComparingLong(e -> e.seq));
    private final TreeSet<Entry> leased = new TreeSet<>(
            Comparator.<Entry, Instant>comparing(e -> e.leaseExpiresAt).thenComparingLong(e -> e.seq));
    private final Set<Entry> deadLetters = new LinkedHashSet<>();
    /** The dead letters again, per owner, so one owner's listing never walks another's. */
    private final Map<String, Set<Entry>> deadLettersByOwner = new HashMap<>();
    private final ArrayDeque<Entry> finished = new ArrayDeque<>();
    private final long[] queuedCount = new long[LEVELS];
    private long seq;
    private long tokens;

    /** A queue on the system clock that keeps {@link #DEFAULT_RETAINED_FINISHED_JOBS} finished jobs. */
    public InMemoryJobQueue() {
        this(Clock.systemUTC(), DEFAULT_RETAINED_FINISHED_JOBS);
    }

    /** A queue reading time (run-at, lease expiry) from {@code clock}. */
    public InMemoryJobQueue(Clock clock) {
        this(clock, DEFAULT_RETAINED_FINISHED_JOBS);
    }

    /** A queue reading time from {@code clock} that keeps up to {@code retainedFinishedJobs} finished jobs. */
    public InMemoryJobQueue(Clock clock, int retainedFinishedJobs) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (retainedFinishedJobs < 0) {
            throw new IllegalArgumentException("retainedFinishedJobs must be >= 0, was " + retainedFinishedJobs);
        }
        this.retainedFinishedJobs = retainedFinishedJobs;
        // ids stay unique across restarts, so a durable checkpoint store never mixes two jobs up
        this.idPrefix = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36) + "-";
        for (int p = 0; p < LEVELS; p++) {
            wakes[p] = lock.newCondition();
            ready[p] = new PriorityQueue<>(BY_SEQ);
        }
    }

    @Override
    public Job enqueue(JobRequest request) {
        Objects.requireNonNull(request, "request");
        Instant now = clock.instant();
        lock.lock();
        try {
            return add(request, now).snapshot();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Job> enqueueAll(List<JobRequest> requests) {
        requests.forEach(r -> Objects.requireNonNull(r, "requests must not contain null"));
        Instant now = clock.instant();
        List<Job> jobs = new ArrayList<>(requests.size());
        lock.lock();
        try {
            for (JobRequest r : requests) {
                jobs.add(add(r, now).snapshot());
            }
        } finally {
            lock.unlock();
        }
        return jobs;
    }

    private Entry add(JobRequest r, Instant now) {
        if (r.idempotencyKey() != null) {
            Entry existing = byKey.get(r.idempotencyKey());
            if (existing != null) {
                return existing;
            }
        }
        long s = ++seq;
        Entry e = new Entry(idPrefix + Long.toString(s, 36), s, r, now);
        byId.put(e.id, e);
        if (e.idempotencyKey != null) {
            byKey.put(e.idempotencyKey, e);
        }
        queue(e, now);
        return e;
    }

    /** Puts a QUEUED entry where claims find it: ready if due, else scheduled. */
    private void queue(Entry e, Instant now) {
        e.state = JobState.QUEUED;
        queuedCount[e.priority.value()]++;
        if (e.runAt.isAfter(now)) {
            Entry first = scheduled.peek();
            scheduled.add(e);
            if (first == null || e.runAt.isBefore(first.runAt)) {
                signal(e.priority.value(), Integer.MAX_VALUE); // sleepers recompute their deadline
            }
        } else {
            ready[e.priority.value()].add(e);
            signal(e.priority.value(), 1);
        }
    }

    private void signal(int priority, int jobs) {
        for (int p = 0; p <= priority; p++) {
            if (waiters[p] == 0) {
                continue;
            }
            if (jobs >= waiters[p]) {
                wakes[p].signalAll();
            } else {
                wakes[p].signal();
            }
        }
    }

    @Override
    public List<Lease> claim(String workerId, int max, Duration leaseDuration, JobPriority minPriority) {
        return claim(workerId, max, leaseDuration, minPriority, ClaimOrder.PRIORITY);
    }

    @Override
    public List<Lease> claim(String workerId, int max, Duration leaseDuration, JobPriority minPriority,
            ClaimOrder order) {
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(minPriority, "minPriority");
        Objects.requireNonNull(order, "order");
        requirePositive(leaseDuration);
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, was " + max);
        }
        Instant now = clock.instant();
        Instant expiresAt = now.plus(leaseDuration);
        lock.lock();
        try {
            catchUp(now);
            List<Lease> leases = new ArrayList<>(Math.min(max, 16));
            while (leases.size() < max) {
                Entry e = order == ClaimOrder.AGE ? pollOldest(minPriority.value()) : pollHighest(minPriority.value());
                if (e == null) {
                    break;
                }
                queuedCount[e.priority.value()]--;
                e.state = JobState.RUNNING;
                e.attempts++;
                e.token = ++tokens;
                e.workerId = workerId;
                e.leaseExpiresAt = expiresAt;
                leased.add(e);
                leases.add(new Lease(e.snapshot(), workerId, e.token, expiresAt));
            }
            return leases;
        } finally {
            lock.unlock();
        }
    }

    private Entry pollHighest(int minPriority) {
        for (int p = LEVELS - 1; p >= minPriority; p--) {
            Entry e = peekLive(p);
            if (e != null) {
                return ready[p].poll();
            }
        }
        return null;
    }

    private Entry pollOldest(int minPriority) {
        int best = -1;
        long bestSeq = Long.MAX_VALUE;
        for (int p = LEVELS - 1; p >= minPriority; p--) {
            Entry e = peekLive(p);
            if (e != null && e.seq < bestSeq) {
                best = p;
                bestSeq = e.seq;
            }
        }
        return best < 0 ? null : ready[best].poll();
    }

    /** Drops cancelled entries from the head of a ready heap, then returns the head. */
    private Entry peekLive(int p) {
        PriorityQueue<Entry> q = ready[p];
        Entry e = q.peek();
        while (e != null && e.state != JobState.QUEUED) {
            q.poll();
            e = q.peek();
        }
        return e;
    }

    /** Takes back lapsed leases and moves due scheduled jobs to the ready heaps. */
    private void catchUp(Instant now) {
        while (!leased.isEmpty() && !leased.first().leaseExpiresAt.isAfter(now)) {
            Entry e = leased.pollFirst();
            e.errors = append(e.errors, new JobError(e.attempts, now,
                    "lease of worker '" + e.workerId + "' expired; the job is claimable again"));
            clearLease(e);
            queue(e, now);
        }
        Entry s = scheduled.peek();
        while (s != null && !s.runAt.isAfter(now)) {
            scheduled.poll();
            if (s.state == JobState.QUEUED) {
                ready[s.priority.value()].add(s);
            }
            s = scheduled.peek();
        }
    }

    @Override
    public boolean heartbeat(String jobId, long fencingToken, Duration leaseDuration) {
        requirePositive(leaseDuration);
        return onLease(jobId, fencingToken, (e, now) -> {
            e.leaseExpiresAt = now.plus(leaseDuration);
            leased.add(e);
        });
    }

    @Override
    public boolean complete(String jobId, long fencingToken) {
        return onLease(jobId, fencingToken, (e, now) -> {
            clearLease(e);
            finish(e, JobState.SUCCEEDED, now);
        });
    }

    /**
     * Runs {@code work} under the queue's lock once the lease is confirmed, then extends it: nothing
     * can take the lease (a claim, a cancel) between the check and the write, whatever store
     * {@code work} writes to. A {@code work} that throws leaves the lease as it was.
     */
    @Override
    public boolean heartbeat(String jobId, long fencingToken, Duration leaseDuration, Runnable work) {
        requirePositive(leaseDuration);
        Objects.requireNonNull(work, "work");
        return underLease(jobId, fencingToken, work, (e, now) -> {
            leased.remove(e);
            e.leaseExpiresAt = now.plus(leaseDuration);
            leased.add(e);
        });
    }

    /**
     * Runs {@code work} under the queue's lock once the lease is confirmed, then marks the job
     * succeeded: a cancel or a claim waits for the lock, so it comes before the check (and
     * {@code work} never runs) or after the completion (and finds the job finished).
     */
    @Override
    public boolean complete(String jobId, long fencingToken, Duration leaseDuration, Runnable work) {
        Objects.requireNonNull(work, "work");
        return underLease(jobId, fencingToken, work, (e, now) -> {
            leased.remove(e);
            clearLease(e);
            finish(e, JobState.SUCCEEDED, now);
        });
    }

    private boolean underLease(String jobId, long fencingToken, Runnable work, BiConsumer<Entry, Instant> then) {
        Instant now = clock.instant();
        lock.lock();
        try {
            Entry e = current(jobId, fencingToken, now);
            if (e == null) {
                return false;
            }
            work.run();
            then.accept(e, now);
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean fail(String jobId, long fencingToken, String error, Instant retryAt) {
        return onLease(jobId, fencingToken, (e, now) -> {
            clearLease(e);
            e.errors = append(e.errors, new JobError(e.attempts, now, String.valueOf(error)));
            if (retryAt == null) {
                e.state = JobState.DEAD_LETTERED;
                e.finishedAt = now;
                addDeadLetter(e);
            } else {
                e.runAt = retryAt;
                queue(e, now);
            }
        });
    }

    @Override
    public boolean release(String jobId, long fencingToken) {
        return onLease(jobId, fencingToken, (e, now) -> {
            clearLease(e);
            e.attempts--; // the attempt did not run to an outcome, so it does not count
            queue(e, now);
        });
    }

    /**
     * Under the lock, takes the job out of the lease order if {@code fencingToken} still holds its
     * lease and applies {@code action}; returns false, changing nothing, if the lease is lost.
     */
    private boolean onLease(String jobId, long fencingToken, BiConsumer<Entry, Instant> action) {
        Instant now = clock.instant();
        lock.lock();
        try {
            Entry e = current(jobId, fencingToken, now);
            if (e == null) {
                return false;
            }
            leased.remove(e);
            action.accept(e, now);
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean cancel(String jobId) {
        Instant now = clock.instant();
        lock.lock();
        try {
            Entry e = byId.get(jobId);
            if (e == null || e.state.isTerminal()) {
                return false;
            }
            if (e.state == JobState.RUNNING) {
                leased.remove(e);
                clearLease(e);
            } else {
                queuedCount[e.priority.value()]--; // stays in its heap; claims skip it
            }
            finish(e, JobState.CANCELLED, now);
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Job> find(String jobId) {
        Instant now = clock.instant();
        lock.lock();
        try {
            catchUp(now);
            Entry e = byId.get(jobId);
            return e == null ? Optional.empty() : Optional.of(e.snapshot());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Job> deadLetters(int limit) {
        lock.lock();
        try {
            return deadLetters.stream().limit(Math.max(0, limit)).map(Entry::snapshot).toList();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Job> deadLetters(String owner, int limit) {
        Objects.requireNonNull(owner, "owner");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
        lock.lock();
        try {
            return deadLettersByOwner.getOrDefault(owner, Set.of()).stream().limit(limit).map(Entry::snapshot).toList();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean redrive(String jobId) {
        Instant now = clock.instant();
        lock.lock();
        try {
            Entry e = byId.get(jobId);
            if (e == null || e.state != JobState.DEAD_LETTERED) {
                return false;
            }
            redrive(e, now);
            removeDeadLetter(e);
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int redriveAll() {
        Instant now = clock.instant();
        lock.lock();
        try {
            int n = deadLetters.size();
            for (Entry e : deadLetters) {
                redrive(e, now);
            }
            deadLetters.clear();
            deadLettersByOwner.clear();
            return n;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int redriveAll(String owner) {
        Objects.requireNonNull(owner, "owner");
        Instant now = clock.instant();
        lock.lock();
        try {
            Set<Entry> owned = deadLettersByOwner.remove(owner);
            if (owned == null) {
                return 0;
            }
            for (Entry e : owned) {
                redrive(e, now);
                deadLetters.remove(e);
            }
            return owned.size();
        } finally {
            lock.unlock();
        }
    }

    private void addDeadLetter(Entry e) {
        deadLetters.add(e);
        if (e.owner != null) {
            deadLettersByOwner.computeIfAbsent(e.owner, o -> new LinkedHashSet<>()).add(e);
        }
    }

    private void removeDeadLetter(Entry e) {
        deadLetters.remove(e);
        if (e.owner != null) {
            Set<Entry> owned = deadLettersByOwner.get(e.owner);
            if (owned != null && owned.remove(e) && owned.isEmpty()) {
                deadLettersByOwner.remove(e.owner);
            }
        }
    }

    private void redrive(Entry e, Instant now) {
        e.attempts = 0;
        e.runAt = now;
        queue(e, now);
    }

    @Override
    public QueueStats stats() {
        Instant now = clock.instant();
        lock.lock();
        try {
            catchUp(now);
            Map<JobPriority, Long> byPriority = new EnumMap<>(JobPriority.class);
            for (JobPriority p : JobPriority.values()) {
                byPriority.put(p, queuedCount[p.value()]);
            }
            return new QueueStats(byPriority, leased.size(), deadLetters.size());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Walks every finished job (at most {@code retainedFinishedJobs}) and, if asked, every dead letter,
     * under the lock: a few hundred thousand entries, so no batching is needed in memory.
     */
    @Override
    public int purgeFinished(Instant finishedBefore, boolean includeDeadLetters) {
        Objects.requireNonNull(finishedBefore, "finishedBefore");
        lock.lock();
        try {
            int purged = purge(finished, finishedBefore);
            if (includeDeadLetters) {
                for (Entry e : List.copyOf(deadLetters)) {
                    if (e.finishedAt.isBefore(finishedBefore)) {
                        removeDeadLetter(e);
                        forget(e);
                        purged++;
                    }
                }
            }
            return purged;
        } finally {
            lock.unlock();
        }
    }

    private int purge(Collection<Entry> entries, Instant finishedBefore) {
        int purged = 0;
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.finishedAt.isBefore(finishedBefore)) {
                it.remove();
                forget(e);
                purged++;
            }
        }
        return purged;
    }

    @Override
    public void awaitWork(Duration timeout) throws InterruptedException {
        awaitWork(timeout, JobPriority.LOW);
    }

    @Override
    public void awaitWork(Duration timeout, JobPriority minPriority) throws InterruptedException {
        int floor = minPriority.value();
        long timeoutNanos = Math.max(0, timeout.toNanos());
        Instant now = clock.instant();
        lock.lockInterruptibly();
        try {
            catchUp(now);
            for (int p = LEVELS - 1; p >= floor; p--) {
                if (peekLive(p) != null) {
                    return;
                }
            }
            long waitNanos = Math.min(timeoutNanos, nanosUntilNextChange(now));
            if (waitNanos <= 0) {
                return;
            }
            waiters[floor]++;
            try {
                wakes[floor].awaitNanos(waitNanos);
            } finally {
                waiters[floor]--;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Time until a scheduled job falls due or a lease lapses, whichever is first. */
    private long nanosUntilNextChange(Instant now) {
        Instant next = null;
        Entry s = scheduled.peek();
        if (s != null) {
            next = s.runAt;
        }
        if (!leased.isEmpty() && (next == null || leased.first().leaseExpiresAt.isBefore(next))) {
            next = leased.first().leaseExpiresAt;
        }
        if (next == null) {
            return Long.MAX_VALUE;
        }
        try {
            return Math.max(1, Duration.between(now, next).toNanos());
        } catch (ArithmeticException tooFar) {
            return Long.MAX_VALUE;
        }
    }

    /** Returns the entry if the token is its current, unexpired lease; else null. */
    private Entry current(String jobId, long fencingToken, Instant now) {
        catchUp(now);
        Entry e = byId.get(jobId);
        return e != null && e.state == JobState.RUNNING && e.token == fencingToken ? e : null;
    }

    private void finish(Entry e, JobState state, Instant now) {
        e.state = state;
        e.finishedAt = now;
        finished.addLast(e);
        while (finished.size() > retainedFinishedJobs) {
            forget(finished.pollFirst());
        }
    }

    /** Drops a finished job from the lookups; a cancelled entry left in a heap is skipped there. */
    private void forget(Entry e) {
        byId.remove(e.id);
        if (e.idempotencyKey != null) {
            byKey.remove(e.idempotencyKey, e);
        }
    }

    private static void clearLease(Entry e) {
        e.workerId = null;
        e.leaseExpiresAt = null;
    }

    private static List<JobError> append(List<JobError> errors, JobError error) {
        List<JobError> copy = new ArrayList<>(errors.size() + 1);
        copy.addAll(errors);
        copy.add(error);
        return List.copyOf(copy);
    }

    private static void requirePositive(Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("leaseDuration must be positive, was " + d);
        }
    }

    @Override
    public String toString() {
        return "InMemoryJobQueue";
    }

    /** A job's mutable record; touched only under the queue's lock. */
    private static final class Entry {
        final String id;
        final long seq;
        final String type;
        final String payload;
        final JobPriority priority;
        final String idempotencyKey;
        final Instant createdAt;
        final String owner;
        JobState state;
        int attempts;
        Instant runAt;
        List<JobError> errors = List.of();
        long token;
        String workerId;
        Instant leaseExpiresAt;
        /** When it succeeded, was cancelled or was dead-lettered; what {@link #purgeFinished} compares. */
        Instant finishedAt;

        Entry(String id, long seq, JobRequest r, Instant now) {
            this.id = id;
            this.seq = seq;
            this.type = r.type();
            this.payload = r.payload();
            this.priority = r.priority();
            this.idempotencyKey = r.idempotencyKey();
            this.createdAt = now;
            this.owner = r.owner();
            this.runAt = r.runAt() == null ? now : r.runAt();
        }

        Job snapshot() {
            return new Job(id, type, payload, priority, state, attempts, idempotencyKey, createdAt, runAt, errors, owner);
        }
    }
}
