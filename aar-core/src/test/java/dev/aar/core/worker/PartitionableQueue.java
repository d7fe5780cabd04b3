package dev.aar.core.worker;

import dev.aar.queue.ClaimOrder;
import dev.aar.queue.Job;
import dev.aar.queue.JobPriority;
import dev.aar.queue.JobQueue;
import dev.aar.queue.JobRequest;
import dev.aar.queue.Lease;
import dev.aar.queue.QueueStats;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A queue seen through a network link the test can cut: a worker on it behaves like a crashed node. */
final class PartitionableQueue implements JobQueue {

    private final JobQueue delegate;
    private volatile boolean cut;

    PartitionableQueue(JobQueue delegate) {
        this.delegate = delegate;
    }

    void cut() {
        cut = true;
    }

    private JobQueue link() {
        if (cut) {
            throw new UncheckedIOException(new ConnectException("link to the queue is cut"));
        }
        return delegate;
    }

    @Override
    public Job enqueue(JobRequest request) {
        return link().enqueue(request);
    }

    @Override
    public List<Job> enqueueAll(List<JobRequest> requests) {
        return link().enqueueAll(requests);
    }

    @Override
    public List<Lease> claim(String workerId, int max, Duration leaseDuration, JobPriority minPriority) {
        return link().claim(workerId, max, leaseDuration, minPriority);
    }

    @Override
    public List<Lease> claim(String workerId, int max, Duration leaseDuration, JobPriority minPriority,
            ClaimOrder order) {
        return link().claim(workerId, max, leaseDuration, minPriority, order);
    }

    @Override
    public boolean heartbeat(String jobId, long fencingToken, Duration leaseDuration) {
        return link().heartbeat(jobId, fencingToken, leaseDuration);
    }

    @Override
    public boolean complete(String jobId, long fencingToken) {
        return link().complete(jobId, fencingToken);
    }

    @Override
    public boolean fail(String jobId, long fencingToken, String error, Instant retryAt) {
        return link().fail(jobId, fencingToken, error, retryAt);
    }

    @Override
    public boolean release(String jobId, long fencingToken) {
        return link().release(jobId, fencingToken);
    }

    @Override
    public boolean cancel(String jobId) {
        return link().cancel(jobId);
    }

    @Override
    public Optional<Job> find(String jobId) {
        return link().find(jobId);
    }

    @Override
    public List<Job> deadLetters(int limit) {
        return link().deadLetters(limit);
    }

    @Override
    public boolean redrive(String jobId) {
        return link().redrive(jobId);
    }

    @Override
    public int redriveAll() {
        return link().redriveAll();
    }

    @Override
    public QueueStats stats() {
        return link().stats();
    }

    @Override
    public int purgeFinished(Instant finishedBefore, boolean includeDeadLetters) {
        return link().purgeFinished(finishedBefore, includeDeadLetters);
    }

    @Override
    public void awaitWork(Duration timeout) throws InterruptedException {
        awaitWork(timeout, JobPriority.LOW);
    }

    @Override
    public void awaitWork(Duration timeout, JobPriority minPriority) throws InterruptedException {
        if (cut) {
            Thread.sleep(timeout.toMillis());
            return;
        }
        delegate.awaitWork(timeout, minPriority);
    }
}
