package dev.aar.benchmarks;

import dev.aar.core.memory.InMemoryJobQueue;
import dev.aar.queue.JobPriority;
import dev.aar.queue.JobQueue;
import dev.aar.queue.JobRequest;
import dev.aar.queue.Lease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Claim latency with idle workers: how long from {@code enqueue} returning to a waiting worker
 * holding the job. Workers sleep in {@code awaitWork} (no polling); jobs arrive one at a time with
 * a pause between them, so every job finds the workers idle and must wake one.
 *
 * <pre>java -cp aar-benchmarks/target/benchmarks.jar dev.aar.benchmarks.ClaimLatencyMain [jobs] [workers] [gapMicros]</pre>
 */
public final class ClaimLatencyMain {

    private ClaimLatencyMain() {
    }

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        long gapNanos = (args.length > 2 ? Long.parseLong(args[2]) : 200) * 1_000;
        int warmup = jobs / 4;

        JobQueue queue = new InMemoryJobQueue();
        long[] latencies = new long[jobs + warmup];
        AtomicInteger done = new AtomicInteger();
        CountDownLatch finished = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            String id = "w" + w;
            Thread t = new Thread(() -> {
                try {
                    while (done.get() < latencies.length) {
                        List<Lease> leases = queue.claim(id, 1, Duration.ofSeconds(30), JobPriority.LOW);
                        long now = System.nanoTime();
                        if (leases.isEmpty()) {
                            queue.awaitWork(Duration.ofSeconds(1));
                            continue;
                        }
                        Lease l = leases.get(0);
                        String[] parts = l.job().payload().split(",");
                        latencies[Integer.parseInt(parts[0])] = now - Long.parseLong(parts[1]);
                        queue.complete(l.jobId(), l.fencingToken());
                        if (done.incrementAndGet() == latencies.length) {
                            finished.countDown();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "latency-worker-" + w);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        for (int i = 0; i < latencies.length; i++) {
            LockSupport.parkNanos(gapNanos);
            // the stamp is taken just before enqueue: the measured time includes the enqueue itself
            queue.enqueue(JobRequest.of("latency", i + "," + System.nanoTime(), JobPriority.NORMAL));
        }
        finished.await();
        long[] measured = Arrays.copyOfRange(latencies, warmup, latencies.length);
        Arrays.sort(measured);
        System.out.printf("claim latency over %d jobs, %d idle workers, %d µs between jobs:%n", measured.length,
                workers, gapNanos / 1_000);
        for (double q : new double[] {0.50, 0.90, 0.99, 0.999}) {
            System.out.printf("  p%-5s %8.1f µs%n", trim(q * 100), measured[(int) Math.min(measured.length - 1,
                    Math.ceil(q * measured.length) - 1)] / 1_000.0);
        }
        System.out.printf("  max    %8.1f µs%n", measured[measured.length - 1] / 1_000.0);
    }

    private static String trim(double percent) {
        return percent == Math.rint(percent) ? String.valueOf((int) percent) : String.valueOf(percent);
    }
}
