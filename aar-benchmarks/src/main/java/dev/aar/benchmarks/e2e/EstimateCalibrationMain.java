package dev.aar.benchmarks.e2e;

import dev.aar.benchmarks.indexing.FakeEmbeddingServer;
import dev.aar.core.Aar;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.Connections;
import dev.aar.core.event.JobCompleted;
import dev.aar.core.preflight.PreflightResult;
import dev.aar.core.preflight.ThroughputStats;
import dev.aar.core.preflight.TokenMode;
import dev.aar.core.project.Project;
import dev.aar.core.report.PhaseTiming;
import dev.aar.core.report.Report;
import dev.aar.examples.wiring.Backends;
import dev.aar.jdbc.JdbcBackend;
import dev.aar.queue.JobPriority;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How true preflight's time estimate is once one job has calibrated it: on one fresh node (the
 * quick-start wiring), analyses {@code small.zip}, then preflights {@code big.zip} (FAST, and EXACT for
 * the token count), runs it, and prints estimate beside actual for every phase and the tokens.
 *
 * <p>Usage: {@code EstimateCalibrationMain small.zip big.zip [latencyMs dims]}: with a latency, the
 * embeddings go to a local OpenAI-compatible server that answers after that many milliseconds
 * (through the SDK's OpenAI provider and pipeline, as {@code OPENAI_BASE_URL} would wire it);
 * without, to the offline embedder.
 */
public final class EstimateCalibrationMain {

    private static final String OWNER = "bench";

    private EstimateCalibrationMain() {
    }

    public static void main(String[] args) throws Exception {
        Path small = Paths.get(args[0]);
        Path big = Paths.get(args[1]);
        FakeEmbeddingServer server = args.length > 2
                ? new FakeEmbeddingServer(Long.parseLong(args[2]), args.length > 3 ? Integer.parseInt(args[3]) : 1536) : null;
        AarConfig config = AarConfig.defaults();
        if (server != null) {
            String base = server.url().substring(0, server.url().length() - "/embeddings".length());
            config = config.toBuilder().connections(Connections.builder().openAiApiKey("local").openAiBaseUrl(base).build())
                    .build();
        }
        Path data = Files.createTempDirectory("aar-estimate-bench");
        AtomicReference<CompletableFuture<JobCompleted>> done = new AtomicReference<>(new CompletableFuture<>());
        Aar.Builder builder = Aar.builder().config(config).dataDirectory(data).listener(e -> {
            if (e instanceof JobCompleted c) {
                done.get().complete(c);
            }
        });
        Backends.Choice choice = Backends.apply(builder, config, data, null, new SimpleMeterRegistry());
        // vectors on disk, as `aar analyze` keeps them: 129k × 1,536 floats in memory would not fit -Xmx1g
        JdbcBackend index = JdbcBackend.create("jdbc:sqlite:" + data.resolve("index.db").toAbsolutePath());
        builder.embeddingStore(index.embeddingStore()).closeWith(index);
        try (Aar aar = builder.build()) {
            System.out.printf(Locale.ROOT, "embeddings: %s; %d CPUs%n", choice.embeddings(),
                    Runtime.getRuntime().availableProcessors());
            aar.startWorkers();
            run(aar, small, done, "calibration");
            ThroughputStats stats = aar.analysis().throughput();
            System.out.printf(Locale.ROOT, "after one job: extraction %.1f MB/s, analysis %.1f MB/s, saving %.1f s, %s%n",
                    stats.extractingBytesPerSecond() / 1e6, stats.analyzingBytesPerSecond() / 1e6, stats.savingSeconds(),
                    stats.indexing().isEmpty() ? "no embedding rate"
                            : String.format(Locale.ROOT, "embedding %,.0f tokens/s", stats.indexing().get(0).tokensPerSecond()));
            run(aar, big, done, "measured");
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private static void run(Aar aar, Path zip, AtomicReference<CompletableFuture<JobCompleted>> done, String label)
            throws Exception {
        Project project;
        try (InputStream in = Files.newInputStream(zip)) {
            project = aar.analysis().createProject(OWNER, zip.getFileName().toString(), in);
        }
        PreflightResult exact = aar.analysis().preflight(OWNER, project.id(), TokenMode.EXACT);
        PreflightResult fast = aar.analysis().preflight(OWNER, project.id(), TokenMode.FAST);
        aar.analysis().approve(OWNER, project.id(), "benchmark");
        done.set(new CompletableFuture<>());
        long started = System.nanoTime();
        aar.analysis().submit(OWNER, project.id(), JobPriority.NORMAL);
        JobCompleted completed = done.get().get(2, TimeUnit.HOURS);
        double wall = (System.nanoTime() - started) / 1e9;
        if (!completed.isSuccess()) {
            throw new IllegalStateException("the job failed: " + completed.error());
        }
        Report report = aar.analysis().report(OWNER, completed.reportId()).orElseThrow();
        System.out.printf(Locale.ROOT, "%n%s: %s, %,d files, %,d bytes%n", label, zip.getFileName(), fast.fileCount(),
                fast.totalBytes());
        System.out.printf(Locale.ROOT, "  estimate based on: %s%n", fast.estimate().basis());
        System.out.printf(Locale.ROOT, "  tokens: FAST %,d vs EXACT %,d (%+.2f%%); embedded %,d%n", fast.estimatedTokens(),
                exact.estimatedTokens(), 100.0 * (fast.estimatedTokens() - exact.estimatedTokens()) / exact.estimatedTokens(),
                report.spend().tokens());
        double[] estimated = {fast.estimate().extractingSeconds(), fast.estimate().indexingSeconds(),
            fast.estimate().analyzingSeconds(), fast.estimate().savingSeconds()};
        double actualTotal = 0;
        for (PhaseTiming t : report.phaseTimings()) {
            double actual = t.millis() / 1000.0;
            actualTotal += actual;
            System.out.printf(Locale.ROOT, "  %-10s estimated %7.1f s, actual %7.1f s%n", t.phase().displayName(),
                    estimated[t.phase().ordinal()], actual);
        }
        // phases overlap: the job's own wall time (report.elapsedMillis) is what the estimate's total predicts
        double jobWall = report.elapsedMillis() > 0 ? report.elapsedMillis() / 1000.0 : actualTotal;
        System.out.printf(Locale.ROOT, "  phases     estimated %7.1f s summed, actual %7.1f s summed%n",
                fast.estimate().phasesSeconds(), actualTotal);
        System.out.printf(Locale.ROOT, "  total      estimated %7.1f s (%d min), actual %7.1f s (from submit %.1f s): actual/estimated = %.2f%n",
                fast.estimate().totalSeconds(), fast.estimatedProcessingTimeMinutes(), jobWall, wall,
                jobWall / fast.estimate().totalSeconds());
    }
}
