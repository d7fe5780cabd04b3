package dev.aar.benchmarks;

import dev.aar.core.memory.InMemoryJobQueue;
import dev.aar.queue.JobPriority;
import dev.aar.queue.JobQueue;
import dev.aar.queue.JobRequest;
import dev.aar.queue.Lease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of the in-memory queue's whole job cycle: enqueue, claim (lease + fencing token),
 * complete. One operation is one job; mixed priorities, as a real queue holds.
 *
 * <pre>java -jar aar-benchmarks/target/benchmarks.jar JobQueueBenchmark</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class JobQueueBenchmark {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final int BATCH = 100;
    private static final JobRequest[] REQUESTS = new JobRequest[4];

    static {
        for (JobPriority p : JobPriority.values()) {
            REQUESTS[p.value()] = JobRequest.of("analysis", "{\"projectId\":\"p1\"}", p);
        }
    }

    private JobQueue queue;

    @Setup(Level.Iteration)
    public void setUp() {
        queue = new InMemoryJobQueue();
    }

    @TearDown(Level.Iteration)
    public void tearDown() {
        queue.close();
    }

    /** Per-thread state: which priority to enqueue next and a reusable batch. */
    @State(Scope.Thread)
    public static class Worker {
        int next;
        String id = "w-" + Thread.currentThread().getId();
        List<JobRequest> batch = new ArrayList<>(BATCH);

        @Setup
        public void setUp() {
            for (int i = 0; i < BATCH; i++) {
                batch.add(REQUESTS[i % 4]);
            }
        }
    }

    /** One job at a time: the worst case, one lock round-trip per step. */
    @Benchmark
    @Threads(1)
    public void singleJobOneThread(Worker w, Blackhole bh) {
        cycleOne(w, bh);
    }

    /** One job at a time from two threads contending for the same queue. */
    @Benchmark
    @Threads(2)
    public void singleJobTwoThreads(Worker w, Blackhole bh) {
        cycleOne(w, bh);
    }

    /** Batches of 100: enqueueAll, claim up to 100, complete each. */
    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(BATCH)
    public void batchedTwoThreads(Worker w, Blackhole bh) {
        queue.enqueueAll(w.batch);
        int done = 0;
        while (done < BATCH) {
            List<Lease> leases = queue.claim(w.id, BATCH - done, LEASE, JobPriority.LOW);
            for (Lease l : leases) {
                bh.consume(queue.complete(l.jobId(), l.fencingToken()));
            }
            done += leases.size();
        }
    }

    private void cycleOne(Worker w, Blackhole bh) {
        queue.enqueue(REQUESTS[w.next++ & 3]);
        List<Lease> leases = queue.claim(w.id, 1, LEASE, JobPriority.LOW);
        for (Lease l : leases) {
            bh.consume(queue.complete(l.jobId(), l.fencingToken()));
        }
    }
}
