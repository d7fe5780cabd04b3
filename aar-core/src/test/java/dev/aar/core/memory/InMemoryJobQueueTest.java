package dev.aar.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.queue.CheckpointStore;
import dev.aar.queue.Job;
import dev.aar.queue.JobPriority;
import dev.aar.queue.JobQueue;
import dev.aar.queue.JobQueueContract;
import dev.aar.queue.JobRequest;
import dev.aar.queue.Lease;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class InMemoryJobQueueTest extends JobQueueContract {

    @Override
    protected JobQueue createQueue(Clock clock) {
        return new InMemoryJobQueue(clock);
    }

    /** Any store joins the in-memory queue's fenced steps: their work runs under the queue's lock. */
    @Override
    protected CheckpointStore joiningCheckpointStore() {
        return new InMemoryCheckpointStore();
    }

    @Test
    void finishedJobsBeyondTheRetentionAreForgotten() {
        JobQueue small = new InMemoryJobQueue(clock, 2);
        Job first = small.enqueue(JobRequest.of("t", "a", JobPriority.NORMAL).withIdempotencyKey("k"));
        for (int i = 0; i < 3; i++) {
            if (i > 0) {
                small.enqueue(JobRequest.of("t", "x" + i, JobPriority.NORMAL));
            }
            Lease l = small.claim("w", 1, LEASE, JobPriority.LOW).get(0);
            small.complete(l.jobId(), l.fencingToken());
        }

        assertThat(small.find(first.id())).isEmpty();
        Job again = small.enqueue(JobRequest.of("t", "b", JobPriority.NORMAL).withIdempotencyKey("k"));
        assertThat(again.id()).isNotEqualTo(first.id());
    }

    @Test
    void deadLettersAreKeptWhateverTheRetention() {
        JobQueue none = new InMemoryJobQueue(clock, 0);
        Job job = none.enqueue(JobRequest.of("t", "a", JobPriority.NORMAL));
        Lease l = none.claim("w", 1, LEASE, JobPriority.LOW).get(0);
        none.fail(l.jobId(), l.fencingToken(), "x", null);

        assertThat(none.deadLetters(10)).extracting(Job::id).containsExactly(job.id());
    }
}
