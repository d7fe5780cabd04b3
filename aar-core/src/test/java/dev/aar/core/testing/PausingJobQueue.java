package dev.aar.core.testing;

import dev.aar.queue.ClaimOrder;
import dev.aar.queue.Job;
import dev.aar.queue.JobPriority;
import dev.aar.queue.JobQueue;
import dev.aar.queue.JobRequest;
import dev.aar.queue.Lease;
import dev.aar.queue.QueueStats;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A queue as one node sees it, that the test can freeze like a {@code SIGSTOP}ped process: the
 * node's next fenced completion stops before it reaches the queue (or, with
 * {@link #pauseInsideCompletion()}, after the fence and before its writes), and its lease keeper's
 * heartbeats stop with it, until {@link #resume()}. Everything else goes straight to the delegate.
 */
public final class PausingJobQueue implements JobQueue {

    private static final long WAIT_SECONDS = 60;

    private final JobQueue delegate;
    private final CountDownLatch paused = new CountDownLatch(1);
    private final CountDownLatch resumed = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicInteger writesRun = new AtomicInteger();
    private volatile boolean armed;
    private volatile boolean inside;
    private volatile boolean frozen;
    private volatile Boolean completed;

    public PausingJobQueue(JobQueue delegate) {
        this.delegate = delegate;
    }

    /** Freezes the node at its next fenced completion, before the queue sees it. */
    public PausingJobQueue pauseBeforeCompletion() {
        armed = true;
        inside = false;
        return this;
    }

    /** Freezes the node at its next fenced completion, after the fence and before its writes. */
    public PausingJobQueue pauseInsideCompletion() {
        armed = true;
        inside = true;
        return this;
    }

    /** Waits until the node is frozen; returns false if it never got there. */
    public boolean awaitPaused() throws InterruptedException {
        return paused.await(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Lets the frozen node go on. */
    public void resume() {
        frozen = false;
        resumed.countDown();
    }

    /** Waits for the frozen completion to return; its result, or null if it threw or never returned. */
    public Boolean awaitCompletion() throws InterruptedException {
        finished.await(WAIT_SECONDS, TimeUnit.SECONDS);
        return completed;
    }

    /** How many times the frozen node's completion writes ran. */
    public int writesRun() {
        return writesRun.get();
    }

    private void freezeHere() {
        frozen = true;
        paused.countDown();
        awaitResume();
    }

    private void awaitResume() {
        try {
            if (!resumed.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never resumed the paused node");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while paused", e);
        }
    }

    @Override
    public boolean complete(String jobId, long fencingToken, Duration leaseDuration, Runnable work) {
        if (!armed) {
            return delegate.complete(jobId, fencingToken, leaseDuration, work);
        }
        armed = false;
        try {
            if (!inside) {
                freezeHere();
            }
            completed = delegate.complete(jobId, fencingToken, leaseDuration, () -> {
                if (inside) {
                    freezeHere();
                }
                writesRun.incrementAndGet();
                work.run();
            });
            return completed;
        } finally {
            finished.countDown();
        }
    }

    @Override
    public boolean heartbeat(String jobId, long fencingToken, Duration leaseDuration) {
        if (frozen) {
            awaitResume(); // a stopped process does not keep its lease alive
        }
        return delegate.heartbeat(jobId, fencingToken, leaseDuration);
    }

    @Override
    public boolean heartbeat(String jobId, long fencingToken, Duration leaseDuration, Runnable work) {
        return delegate.heartbeat(jobId, fencingToken, leaseDuration, work);
    }

    @Override
    public Job enqueue(JobRequest request) {
        return delegate.enqueue(request);
    }

    @Override
    public List<Job> enqueueAll(List<JobRequest> requests) {
        return delegate.enqueueAll(requests);
    }

    @Override
    public List<Lease> claim(String workerId, int max, Duration leaseDuration, JobPriority minPriority) {
        return delegate.claim(workerId, max, leaseDuration, minPriority);
    }

    @Override
    public List<Lease> claim(String workerId, int max, Duration leaseDuration, JobPriority minPriority,
            ClaimOrder order) {
        return delegate.claim(workerId, max, leaseDuration, minPriority, order);
    }

    @Override
    public boolean complete(String jobId, long fencingToken) {
        return delegate.complete(jobId, fencingToken);
    }

    @Override
    public Set<String> completeAll(Collection<Lease> leases) {
        return delegate.completeAll(leases);
    }

    @Override
    public boolean fail(String jobId, long fencingToken, String error, Instant retryAt) {
        return delegate.fail(jobId, fencingToken, error, retryAt);
    }

    @Override
    public boolean release(String jobId, long fencingToken) {
        return delegate.release(jobId, fencingToken);
    }

    @Override
    public boolean cancel(String jobId) {
        return delegate.cancel(jobId);
    }

    @Override
    public Optional<Job> find(String jobId) {
        return delegate.find(jobId);
    }

    @Override
    public List<Job> deadLetters(int limit) {
        return delegate.deadLetters(limit);
    }

    @Override
    public List<Job> deadLetters(String owner, int limit) {
        return delegate.deadLetters(owner, limit);
    }

    @Override
    public boolean redrive(String jobId) {
        return delegate.redrive(jobId);
    }

    @Override
    public int redriveAll() {
        return delegate.redriveAll();
    }

    @Override
    public int redriveAll(String owner) {
        return delegate.redriveAll(owner);
    }

    @Override
    public QueueStats stats() {
        return delegate.stats();
    }

    @Override
    public int purgeFinished(Instant finishedBefore, boolean includeDeadLetters) {
        return delegate.purgeFinished(finishedBefore, includeDeadLetters);
    }

    @Override
    public void awaitWork(Duration timeout) throws InterruptedException {
        delegate.awaitWork(timeout);
    }

    @Override
    public void awaitWork(Duration timeout, JobPriority minPriority) throws InterruptedException {
        delegate.awaitWork(timeout, minPriority);
    }
}
