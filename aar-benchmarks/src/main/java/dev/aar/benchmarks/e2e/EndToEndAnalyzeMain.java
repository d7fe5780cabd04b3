package dev.aar.benchmarks.e2e;

import dev.aar.core.Aar;
import dev.aar.core.config.AarConfig;
import dev.aar.core.event.JobCompleted;
import dev.aar.core.event.Phase;
import dev.aar.core.event.ProgressUpdate;
import dev.aar.core.metrics.AarMetrics;
import dev.aar.core.preflight.PreflightResult;
import dev.aar.core.preflight.TokenMode;
import dev.aar.core.project.Project;
import dev.aar.core.report.PhaseTiming;
import dev.aar.core.report.Report;
import dev.aar.core.wiring.internal.Collaborators;
import dev.aar.jdbc.JdbcBackend;
import dev.aar.queue.JobPriority;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What {@code aar analyze FILE --out DIR} does, in-process and timed: an {@link Aar} with its defaults
 * (offline embedder, in-memory queue and stores, files under a temporary data directory) plus the
 * SQLite embedding store the CLI keeps beside the report. Prints the time of every step before the
 * job, each phase's time from its {@link ProgressUpdate} events and from the report, files/s and
 * chunks/s, and the heap: the highest sampled use and the highest old-generation use right after a
 * collection (the live set, a floor for {@code -Xmx}).
 *
 * <p>Usage: {@code EndToEndAnalyzeMain [zip] [runs]}; default {@code $JAVA_HOME/lib/src.zip}, 1 run.
 * Every run is a cold first analysis into a fresh directory except when {@code runs > 1}: later runs
 * reuse the first run's index (the CLI's re-run into the same {@code --out}), so they embed nothing.
 */
public final class EndToEndAnalyzeMain {

    private static final String OWNER = "bench";

    private EndToEndAnalyzeMain() {
    }

    public static void main(String[] args) throws Exception {
        Path zip = args.length > 0 ? Paths.get(args[0]) : Paths.get(System.getProperty("java.home"), "lib", "src.zip");
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Path dir = Files.createTempDirectory("aar-e2e-bench");
        System.out.printf(Locale.ROOT, "archive: %s (%.1f MB), max heap %d MB, %d CPUs%n", zip, Files.size(zip) / 1e6,
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
        try (HeapSampler heap = HeapSampler.start()) {
            String previous = null;
            for (int i = 1; i <= runs; i++) {
                heap.reset();
                previous = run(zip, dir, "run " + i, heap, previous);
            }
        } finally {
            delete(dir);
        }
    }

    /** Runs one analysis; returns its project id. */
    private static String run(Path zip, Path dir, String label, HeapSampler heap, String previous) throws Exception {
        AarConfig defaults = AarConfig.defaults();
        // as the CLI: the archive only lives in a temporary directory, so neither encrypted nor deflated there
        AarConfig config = defaults.toBuilder().storagePolicy(defaults.storagePolicy().toBuilder()
                .encryptionEnabled(false).compressionEnabled(false).build()).build();
        Path data = Files.createTempDirectory(dir, "data");
        PhaseClock phases = new PhaseClock();
        CompletableFuture<JobCompleted> done = new CompletableFuture<>();
        long t0 = System.nanoTime();
        JdbcBackend index = JdbcBackend.create("jdbc:sqlite:" + dir.resolve("index.db").toAbsolutePath());
        Aar.Builder builder = Aar.builder().config(config).dataDirectory(data)
                .embeddingStore(index.embeddingStore()).closeWith(index)
                .listener(e -> {
                    if (e instanceof ProgressUpdate u) {
                        phases.on(u);
                    } else if (e instanceof JobCompleted c) {
                        done.complete(c);
                    }
                });
        try (Aar aar = builder.build()) {
            long built = System.nanoTime();
            Project project;
            try (InputStream in = Files.newInputStream(zip)) {
                project = aar.analysis().createProject(OWNER, zip.getFileName().toString(), in);
            }
            long stored = System.nanoTime();
            PreflightResult preflight = aar.analysis().preflight(OWNER, project.id(), TokenMode.FAST);
            if (!preflight.isWithinLimits()) {
                throw new IllegalStateException("preflight refused the archive: " + preflight.rejectionReasons());
            }
            if (preflight.requiresApproval()) {
                aar.analysis().approve(OWNER, project.id(), "benchmark");
            }
            long preflighted = System.nanoTime();
            aar.startWorkers();
            aar.analysis().submit(OWNER, project.id(), JobPriority.NORMAL);
            long submitted = System.nanoTime();
            JobCompleted completed = done.get(2, TimeUnit.HOURS);
            long finished = System.nanoTime();
            if (!completed.isSuccess()) {
                throw new IllegalStateException("the job failed: " + completed.error());
            }
            Report report = Collaborators.of(aar).reportStore().find(completed.reportId()).orElseThrow();
            long chunks = Collaborators.of(aar).embeddingStore().count(project.id());
            long embedded = (long) aar.meterRegistry().counter(AarMetrics.EMBEDDINGS_CREATED).count();
            long files = report.inventory().totalFiles();
            double wall = seconds(finished - t0);

            System.out.printf(Locale.ROOT, "%s: %,d files, %,d chunks (%,d newly embedded), %,d tokens, %,d findings%n",
                    label, files, chunks, embedded, report.spend().tokens(), report.findings().size());
            System.out.printf(Locale.ROOT, "  before the job: open index + build %.2f s, store archive %.2f s, preflight %.2f s,"
                    + " submit %.2f s%n", seconds(built - t0), seconds(stored - built), seconds(preflighted - stored),
                    seconds(submitted - preflighted));
            System.out.println("  phase        events (s)   report (s)   files/s   chunks/s");
            Map<Phase, Long> reported = new EnumMap<>(Phase.class);
            for (PhaseTiming t : report.phaseTimings()) {
                reported.put(t.phase(), t.millis());
            }
            for (Phase p : Phase.values()) {
                double byEvents = phases.seconds(p);
                double byReport = reported.getOrDefault(p, 0L) / 1000.0;
                boolean perFile = p == Phase.EXTRACTING || p == Phase.INDEXING;
                System.out.printf(Locale.ROOT, "  %-11s %10.2f   %10.2f   %7s   %8s%n", p.displayName(), byEvents, byReport,
                        perFile ? rate(files, byReport) : "", p == Phase.INDEXING ? rate(chunks, byReport) : "");
            }
            System.out.printf(Locale.ROOT, "  overall: %.2f s wall (job %.2f s), %s files/s, %s chunks/s%n", wall,
                    seconds(finished - submitted), rate(files, wall), rate(chunks, wall));
            System.out.printf(Locale.ROOT, "  heap: peak used %d MB (sampled every %d ms), peak live after GC %d MB,"
                    + " committed %d MB%n", heap.peakUsed() >> 20, HeapSampler.INTERVAL_MILLIS, heap.peakLive() >> 20,
                    heap.peakCommitted() >> 20);
            if (previous != null) {
                // as the CLI's re-run into the same --out: the previous run's chunks go once this one is done
                Collaborators.of(aar).embeddingStore().deleteProject(previous);
            }
            return project.id();
        } finally {
            delete(data);
        }
    }

    private static String rate(long n, double seconds) {
        return seconds <= 0 ? "-" : String.format(Locale.ROOT, "%,.0f", n / seconds);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** The first and last {@link ProgressUpdate} of each phase. */
    private static final class PhaseClock {
        private final Map<Phase, long[]> spans = new EnumMap<>(Phase.class);

        synchronized void on(ProgressUpdate u) {
            long now = System.nanoTime();
            long[] span = spans.computeIfAbsent(u.phase(), p -> new long[] {now, now});
            span[1] = now;
        }

        synchronized double seconds(Phase p) {
            long[] span = spans.get(p);
            return span == null ? 0 : (span[1] - span[0]) / 1e9;
        }
    }

    /**
     * Samples the heap on a daemon thread: total used (young garbage included, so it tracks
     * {@code -Xmx} pressure) and the heap pools' usage right after their last collection (the live set).
     */
    private static final class HeapSampler implements AutoCloseable {
        static final long INTERVAL_MILLIS = 50;

        private final Thread thread;
        private volatile boolean running = true;
        private volatile long peakUsed;
        private volatile long peakLive;
        private volatile long peakCommitted;

        private HeapSampler() {
            thread = new Thread(this::loop, "heap-sampler");
            thread.setDaemon(true);
        }

        static HeapSampler start() {
            HeapSampler s = new HeapSampler();
            s.thread.start();
            return s;
        }

        private void loop() {
            var memory = ManagementFactory.getMemoryMXBean();
            var pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported()).toList();
            while (running) {
                var heap = memory.getHeapMemoryUsage();
                peakUsed = Math.max(peakUsed, heap.getUsed());
                peakCommitted = Math.max(peakCommitted, heap.getCommitted());
                long live = 0;
                for (MemoryPoolMXBean p : pools) {
                    if (p.getName().contains("Old") || p.getName().contains("Tenured")) {
                        var after = p.getCollectionUsage();
                        live += after == null ? 0 : after.getUsed();
                    }
                }
                peakLive = Math.max(peakLive, live);
                try {
                    Thread.sleep(INTERVAL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void reset() {
            peakUsed = 0;
            peakLive = 0;
            peakCommitted = 0;
        }

        long peakUsed() {
            return peakUsed;
        }

        long peakLive() {
            return peakLive;
        }

        long peakCommitted() {
            return peakCommitted;
        }

        @Override
        public void close() {
            running = false;
            thread.interrupt();
        }
    }
}
