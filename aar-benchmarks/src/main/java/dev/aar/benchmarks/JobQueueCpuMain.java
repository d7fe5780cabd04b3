package dev.aar.benchmarks;

import dev.aar.core.memory.InMemoryJobQueue;
import dev.aar.queue.JobPriority;
import dev.aar.queue.JobQueue;
import dev.aar.queue.JobRequest;
import dev.aar.queue.Lease;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The in-memory queue's enqueue→claim→complete cycle measured both per wall-clock second and per
 * CPU-second of the threads doing it; the second figure stays meaningful on a shared machine,
 * where other processes take CPU time away from the benchmark.
 *
 * <pre>java -cp aar-benchmarks/target/benchmarks.jar dev.aar.benchmarks.JobQueueCpuMain [threads] [jobsPerThread]</pre>
 */
public final class JobQueueCpuMain {

    private JobQueueCpuMain() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int jobs = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        JobRequest[] requests = new JobRequest[4];
        for (JobPriority p : JobPriority.values()) {
            requests[p.value()] = JobRequest.of("analysis", "{\"projectId\":\"p1\"}", p);
        }
        Duration lease = Duration.ofSeconds(30);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 1; round <= 5; round++) {
                JobQueue queue = new InMemoryJobQueue();
                List<Callable<Long>> work = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String worker = "w" + t;
                    work.add(() -> {
                        long cpu0 = mx.getCurrentThreadCpuTime();
                        for (int i = 0; i < jobs; i++) {
                            queue.enqueue(requests[i & 3]);
                            for (Lease l : queue.claim(worker, 1, lease, JobPriority.LOW)) {
                                queue.complete(l.jobId(), l.fencingToken());
                            }
                        }
                        return mx.getCurrentThreadCpuTime() - cpu0;
                    });
                }
                long wall0 = System.nanoTime();
                long cpu = 0;
                for (Future<Long> f : pool.invokeAll(work)) {
                    cpu += f.get();
                }
                double wall = (System.nanoTime() - wall0) / 1e9;
                long total = (long) jobs * threads;
                System.out.printf("round %d: %,.0f jobs/s wall, %,.0f jobs per CPU-second (%d threads)%n", round,
                        total / wall, total / (cpu / 1e9), threads);
                queue.close();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
