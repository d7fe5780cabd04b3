package dev.aar.benchmarks.jdbc;

import dev.aar.jdbc.JdbcBackend;
import dev.aar.queue.JobPriority;
import dev.aar.queue.JobQueue;
import dev.aar.queue.JobRequest;
import dev.aar.queue.Lease;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures the JDBC job queue: enqueue → claim → complete throughput with batch claims (PostgreSQL and
 * SQLite), and pickup latency of an idle worker woken by LISTEN/NOTIFY against one that polls.
 *
 * <pre>
 * java -cp aar-benchmarks/target/benchmarks.jar dev.aar.benchmarks.jdbc.JdbcQueueBenchmark \
 *     [--postgres jdbc:postgresql://127.0.0.1:5432/test?user=postgres] [--jobs 20000] [--workers 4]
 *     [--batch 50] [--latency-samples 200] [--poll-ms 250] [--skip-postgres] [--skip-sqlite]
 *     [--sqlite-page-size 65536]
 * </pre>
 */
public final class JdbcQueueBenchmark {

    private static final Duration LEASE = Duration.ofMinutes(5);

    private final int jobs;
    private final int workers;
    private final int batch;

    private JdbcQueueBenchmark(int jobs, int workers, int batch) {
        this.jobs = jobs;
        this.workers = workers;
        this.batch = batch;
    }

    public static void main(String[] args) throws Exception {
        String pgBase = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
        int jobs = 20_000;
        int workers = 4;
        int batch = 50;
        int samples = 200;
        int pollMs = 250;
        boolean postgres = true;
        boolean sqlite = true;
        int sqlitePageSize = JdbcBackend.DEFAULT_SQLITE_PAGE_SIZE;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--postgres" -> pgBase = args[++i];
                case "--jobs" -> jobs = Integer.parseInt(args[++i]);
                case "--workers" -> workers = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--latency-samples" -> samples = Integer.parseInt(args[++i]);
                case "--poll-ms" -> pollMs = Integer.parseInt(args[++i]);
                case "--skip-postgres" -> postgres = false;
                case "--skip-sqlite" -> sqlite = false;
                case "--sqlite-page-size" -> sqlitePageSize = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        JdbcQueueBenchmark bench = new JdbcQueueBenchmark(jobs, workers, batch);
        System.out.printf(Locale.ROOT, "jobs=%d workers=%d batch=%d cpus=%d%n", jobs, workers, batch,
                Runtime.getRuntime().availableProcessors());
        if (postgres) {
            String schema = "aar_bench_" + Long.toHexString(System.nanoTime());
            execute(pgBase, "CREATE SCHEMA " + schema);
            try {
                String url = pgBase + (pgBase.contains("?") ? "&" : "?") + "currentSchema=" + schema;
                try (JdbcBackend backend = JdbcBackend.builder().jdbcUrl(url).poolSize(workers + 4).build()) {
                    bench.throughput("postgresql", backend.jobQueue());
                }
                latency(url, samples, pollMs);
            } finally {
                execute(pgBase, "DROP SCHEMA " + schema + " CASCADE");
            }
        }
        if (sqlite) {
            Path dir = Files.createTempDirectory("aar-bench");
            try (JdbcBackend backend = JdbcBackend.builder().jdbcUrl("jdbc:sqlite:" + dir.resolve("queue.db"))
                    .sqlitePageSize(sqlitePageSize).build()) {
                bench.throughput("sqlite (" + sqlitePageSize + "-byte pages)", backend.jobQueue());
            } finally {
                try (var files = Files.walk(dir)) {
                    for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    /** Enqueues in batches of 500, then drains with claim(batch) + complete per job, then both at once. */
    private void throughput(String db, JobQueue queue) throws Exception {
        warmUp(queue);
        long t0 = System.nanoTime();
        enqueue(queue, jobs);
        double enqueueRate = rate(jobs, t0);

        t0 = System.nanoTime();
        int drained = drain(queue, jobs, false);
        double drainRate = rate(drained, t0);

        enqueue(queue, jobs);
        t0 = System.nanoTime();
        int drainedInBatches = drain(queue, jobs, true);
        double batchDrainRate = rate(drainedInBatches, t0);

        // end to end: one producer and the workers (completing in batches) at the same time
        t0 = System.nanoTime();
        ExecutorService producer = Executors.newSingleThreadExecutor();
        Future<?> produced = producer.submit(() -> {
            enqueue(queue, jobs);
            return null;
        });
        int done = drain(queue, jobs, true);
        produced.get();
        producer.shutdown();
        double endToEnd = rate(done, t0);
        // the claim statement alone: batches leased and left running
        enqueue(queue, jobs);
        t0 = System.nanoTime();
        int claimed = claimOnly(queue, jobs);
        double claimRate = rate(claimed, t0);
        System.out.printf(Locale.ROOT, "%s: enqueue %.0f jobs/s | claim+complete each %.0f jobs/s | "
                + "claim+completeAll %.0f jobs/s | enqueue->claim->completeAll concurrently %.0f jobs/s | "
                + "claim only %.0f jobs/s%n", db, enqueueRate, drainRate, batchDrainRate, endToEnd, claimRate);
    }

    private void warmUp(JobQueue queue) throws Exception {
        enqueue(queue, 2_000);
        drain(queue, 2_000, false);
        enqueue(queue, 2_000);
        drain(queue, 2_000, true);
    }

    private static void enqueue(JobQueue queue, int count) {
        List<JobRequest> chunk = new ArrayList<>(500);
        for (int i = 0; i < count; i++) {
            chunk.add(JobRequest.of("bench", "{\"n\":" + i + "}", JobPriority.values()[i & 3]));
            if (chunk.size() == 500 || i == count - 1) {
                queue.enqueueAll(chunk);
                chunk.clear();
            }
        }
    }

    /**
     * Workers claim batches and complete them, job by job or with one {@code completeAll} per batch,
     * until {@code expected} are done.
     */
    private int drain(JobQueue queue, int expected, boolean completeInBatches) throws Exception {
        AtomicInteger completed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            String worker = "bench-" + w;
            futures.add(pool.submit(() -> {
                while (completed.get() < expected) {
                    List<Lease> leases = queue.claim(worker, batch, LEASE, JobPriority.LOW);
                    if (leases.isEmpty()) {
                        queue.awaitWork(Duration.ofMillis(50));
                        continue;
                    }
                    if (completeInBatches) {
                        int n = queue.completeAll(leases).size();
                        if (n != leases.size()) {
                            throw new IllegalStateException("lost " + (leases.size() - n) + " leases");
                        }
                        completed.addAndGet(n);
                        continue;
                    }
                    for (Lease l : leases) {
                        if (!queue.complete(l.jobId(), l.fencingToken())) {
                            throw new IllegalStateException("lost lease of job " + l.jobId());
                        }
                        completed.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        return completed.get();
    }

    private int claimOnly(JobQueue queue, int expected) throws Exception {
        AtomicInteger claimed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            String worker = "claim-" + w;
            futures.add(pool.submit(() -> {
                while (claimed.get() < expected) {
                    int n = queue.claim(worker, batch, LEASE, JobPriority.LOW).size();
                    if (n == 0) {
                        return null;
                    }
                    claimed.addAndGet(n);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        return claimed.get();
    }

    /**
     * One idle worker node, one producer node (separate pools, as on two machines): the producer
     * enqueues a job at random 20–60 ms intervals; latency runs from the start of the enqueue call
     * (so it includes its commit) to the return of the claim that got the job.
     */
    private static void latency(String url, int samples, int pollMs) throws Exception {
        try (JdbcBackend workerNode = JdbcBackend.builder().jdbcUrl(url).maxIdleWait(Duration.ofMinutes(1)).build();
                JdbcBackend producerNode = JdbcBackend.create(url)) {
            double[] notify = measure(workerNode.jobQueue(), producerNode.jobQueue(), samples, -1);
            double[] polling = measure(workerNode.jobQueue(), producerNode.jobQueue(), samples, pollMs);
            System.out.printf(Locale.ROOT, "postgresql pickup latency (%d jobs): LISTEN/NOTIFY p50 %.2f ms p99 %.2f ms"
                    + " | polling every %d ms p50 %.2f ms p99 %.2f ms%n", samples, notify[0], notify[1], pollMs,
                    polling[0], polling[1]);
        }
    }

    /** Returns {p50, p99} in ms; {@code pollMs < 0} means wait with awaitWork (LISTEN/NOTIFY). */
    private static double[] measure(JobQueue workerQueue, JobQueue producerQueue, int samples, int pollMs)
            throws Exception {
        AtomicLong enqueuedAt = new AtomicLong();
        Semaphore pickedUp = new Semaphore(0);
        long[] latencies = new long[samples];
        Thread worker = new Thread(() -> {
            try {
                for (int i = 0; i < samples; ) {
                    List<Lease> leases = workerQueue.claim("latency", 1, LEASE, JobPriority.LOW);
                    if (leases.isEmpty()) {
                        if (pollMs < 0) {
                            workerQueue.awaitWork(Duration.ofSeconds(30));
                        } else {
                            Thread.sleep(pollMs);
                        }
                        continue;
                    }
                    latencies[i++] = System.nanoTime() - enqueuedAt.get();
                    workerQueue.complete(leases.get(0).jobId(), leases.get(0).fencingToken());
                    pickedUp.release();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        worker.start();
        for (int i = 0; i < samples; i++) {
            Thread.sleep(ThreadLocalRandom.current().nextInt(20, 60));
            enqueuedAt.set(System.nanoTime());
            producerQueue.enqueue(JobRequest.of("latency", "{}", JobPriority.NORMAL));
            // the next job only after this one was picked up, so samples never queue behind each other
            pickedUp.acquire();
        }
        worker.join();
        Arrays.sort(latencies);
        return new double[] {latencies[samples / 2] / 1e6, latencies[(int) Math.ceil(samples * 0.99) - 1] / 1e6};
    }

    private static double rate(int count, long startNanos) {
        return count / ((System.nanoTime() - startNanos) / 1e9);
    }

    private static void execute(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
