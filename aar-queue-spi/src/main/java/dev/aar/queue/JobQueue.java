package dev.aar.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A durable priority queue of jobs with leases, fencing tokens and a dead-letter queue.
 *
 * <p>Claim order: jobs whose run-at time has come, highest {@link JobPriority} first, and within a
 * priority the oldest first (FIFO by enqueue order). A job whose lease lapses is claimable again at
 * once; the attempt count and fencing token grow with every claim.
 *
 * <p>Implementations are safe for concurrent use; no two claims ever return the same job while
 * its lease is current. Store failures surface as {@link java.io.UncheckedIOException}.
 */
public interface JobQueue extends AutoCloseable {

    /** Adds a job, or returns the existing one if a job with the same idempotency key exists. */
    Job enqueue(JobRequest request);

    /** Adds several jobs at once, with the same idempotency rule; returns them in request order. */
    List<Job> enqueueAll(List<JobRequest> requests);

    /**
     * Leases up to {@code max} claimable jobs of at least {@code minPriority} to {@code workerId}.
     *
     * @return the leases, highest priority first; empty if nothing is claimable
     */
    List<Lease> claim(String workerId, int max, Duration leaseDuration, JobPriority minPriority);

    /**
     * Like {@link #claim(String, int, Duration, JobPriority)}, taking jobs in {@code order}.
     *
     * <p>The default supports only {@link ClaimOrder#PRIORITY} faithfully and falls back to it for
     * {@link ClaimOrder#AGE}, which loses the fair-share guarantee; backends should override it.
     *
     * @return the leases, in the order they were taken; empty if nothing is claimable
     */
    default List<Lease> claim(String workerId, int max, Duration leaseDuration, JobPriority minPriority,
            ClaimOrder order) {
        return claim(workerId, max, leaseDuration, minPriority);
    }

    /** Extends a current lease to now + {@code leaseDuration}; returns false if the token is stale. */
    boolean heartbeat(String jobId, long fencingToken, Duration leaseDuration);

    /** Marks a leased job succeeded; returns false (and changes nothing) if the token is stale. */
    boolean complete(String jobId, long fencingToken);

    /**
     * Extends a current lease like {@link #heartbeat(String, long, Duration)} and runs {@code work}
     * (a checkpoint save) in the same fenced step: if the token is stale, {@code work} does not run
     * and false is returned. If {@code work} throws, the exception propagates and the lease is not
     * extended where the backend can undo it.
     *
     * <p>The default extends the lease, then runs {@code work}: a worker that stalls for a whole
     * lease between the two can still write. Backends whose stores can join the step override it:
     * the JDBC backend runs both in one transaction (the lease {@code UPDATE} first, so the row stays
     * locked until the commit), the in-memory queue runs {@code work} under its lock.
     */
    default boolean heartbeat(String jobId, long fencingToken, Duration leaseDuration, Runnable work) {
        if (!heartbeat(jobId, fencingToken, leaseDuration)) {
            return false;
        }
        work.run();
        return true;
    }

    /**
     * Marks a leased job succeeded and runs {@code work} (the job's last writes: its report, its
     * quota settlement) as one fenced step: if the token is stale (the lease lapsed and the job was
     * claimed again, or it was cancelled), {@code work} does not run and nothing changes. If
     * {@code work} throws, the exception propagates and the job is not completed; a later attempt
     * runs the whole step again, so {@code work} must be idempotent.
     *
     * <p>Whatever {@code work} writes to a store that joins the step commits with the completion or
     * not at all (the JDBC backend's stores on the backend's own database). Writes to other stores
     * happen while the job is held (the lease is checked and extended first) but are not undone if
     * the completion itself then fails.
     *
     * <p>The default extends the lease by {@code leaseDuration}, runs {@code work}, then calls
     * {@link #complete(String, long)}: a worker that stalls for a whole lease between the check and
     * the completion can still write. Backends should override it.
     *
     * @param leaseDuration how long the default's fence check extends the lease
     * @return false (and {@code work} did not run) if the token is stale
     */
    default boolean complete(String jobId, long fencingToken, Duration leaseDuration, Runnable work) {
        if (!heartbeat(jobId, fencingToken, leaseDuration)) {
            return false;
        }
        work.run();
        return complete(jobId, fencingToken);
    }

    /**
     * Marks several leased jobs succeeded at once, each exactly as {@link #complete(String, long)}
     * would: a lease whose token is stale is skipped and changes nothing. Backends that can should
     * do this in one statement (a worker that claimed a batch completes it in one round trip); the
     * default completes the leases one at a time.
     *
     * @return the ids of the jobs this call completed (a lease given twice counts once)
     */
    default Set<String> completeAll(Collection<Lease> leases) {
        Set<String> completed = new LinkedHashSet<>();
        for (Lease lease : leases) {
            if (complete(lease.jobId(), lease.fencingToken())) {
                completed.add(lease.jobId());
            }
        }
        return completed;
    }

    /**
     * Records a failure of a leased job: it is queued again for {@code retryAt}, or, when
     * {@code retryAt} is null, moved to the dead-letter queue with its error history.
     *
     * @return false (and changes nothing) if the token is stale
     */
    boolean fail(String jobId, long fencingToken, String error, @Nullable Instant retryAt);

    /**
     * Gives a leased job back without counting the attempt (used at graceful shutdown).
     *
     * @return false if the token is stale
     */
    boolean release(String jobId, long fencingToken);

    /**
     * Cancels a queued or running job; a running job's lease becomes stale, so its worker's
     * completion is refused. Returns false if the job is unknown or already terminal.
     */
    boolean cancel(String jobId);

    /** Returns the job with this id, in whatever state. */
    Optional<Job> find(String jobId);

    /** Returns up to {@code limit} dead-lettered jobs of every owner, oldest first (for operators). */
    List<Job> deadLetters(int limit);

    /**
     * Returns up to {@code limit} dead-lettered jobs of {@code owner} (as enqueued with
     * {@link JobRequest#withOwner}), oldest first. Other owners' dead letters, however many, neither
     * appear nor crowd the owner's out: backends filter by owner where the jobs are kept, through an
     * index.
     *
     * <p>The default reads every dead letter and filters them; backends should override it.
     */
    default List<Job> deadLetters(String owner, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
        Objects.requireNonNull(owner, "owner");
        return deadLetters(Integer.MAX_VALUE).stream().filter(j -> owner.equals(j.owner())).limit(limit).toList();
    }

    /** Moves one dead-lettered job back to the queue with a fresh attempt count; false if not dead. */
    boolean redrive(String jobId);

    /** Moves every dead-lettered job back to the queue; returns how many. */
    int redriveAll();

    /**
     * Moves every dead-lettered job of {@code owner} back to the queue; returns how many. The
     * default re-drives what {@link #deadLetters(String, int)} lists, one at a time.
     */
    default int redriveAll(String owner) {
        int moved = 0;
        for (Job job : deadLetters(owner, Integer.MAX_VALUE)) {
            if (redrive(job.id())) {
                moved++;
            }
        }
        return moved;
    }

    /** Returns the current depth per priority, in flight and dead-lettered. */
    QueueStats stats();

    /**
     * Deletes the succeeded and cancelled jobs that reached that state before {@code finishedBefore},
     * and the dead letters dead-lettered before it only if {@code includeDeadLetters}; queued, running
     * and retry-scheduled jobs are never deleted, whatever their age.
     *
     * <p>A deleted job is gone with everything the backend keeps for it (error history, idempotency
     * key): {@link #find} no longer returns it, and its idempotency key may be used again, creating a
     * new job. Backends delete in bounded batches, so a large purge holds no long transaction.
     * The default throws {@link UnsupportedOperationException}: there is no honest way to delete
     * through the rest of this interface, so a backend without this method keeps every job.
     *
     * @return how many jobs this call deleted
     */
    default int purgeFinished(Instant finishedBefore, boolean includeDeadLetters) {
        throw new UnsupportedOperationException(getClass().getName()
                + " does not implement JobQueue.purgeFinished; its finished jobs are kept until the backend deletes them");
    }

    /**
     * Blocks until a job may have become claimable (an enqueue, a release, a lapsed lease, a due
     * run-at time) or until {@code timeout} passes; may return early. Workers call this instead of
     * sleeping, so an idle worker starts a new job without polling delay.
     */
    void awaitWork(Duration timeout) throws InterruptedException;

    /**
     * Like {@link #awaitWork(Duration)}, but only work of at least {@code minPriority} needs to wake
     * the caller, so a worker slot reserved for Critical jobs does not spin while lower jobs wait.
     * Returns at once if such work is claimable already. The default delegates to
     * {@link #awaitWork(Duration)}, which is correct (callers re-check) but may wake early.
     */
    default void awaitWork(Duration timeout, JobPriority minPriority) throws InterruptedException {
        awaitWork(timeout);
    }

    /** Releases the queue's resources; the default does nothing. */
    @Override
    default void close() {
    }
}
