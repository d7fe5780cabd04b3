package dev.aar.examples.cli;

import dev.aar.core.Aar;
import dev.aar.core.config.AarConfig;
import dev.aar.core.event.JobCompleted;
import dev.aar.core.metrics.AarMetrics;
import dev.aar.core.preflight.PreflightResult;
import dev.aar.core.preflight.TokenMode;
import dev.aar.core.project.Project;
import dev.aar.core.report.Report;
import dev.aar.core.report.ReportStore;
import dev.aar.core.report.internal.ReportWriter;
import dev.aar.core.wiring.internal.Collaborators;
import dev.aar.examples.wiring.Backends;
import dev.aar.jdbc.JdbcBackend;
import dev.aar.queue.Job;
import dev.aar.queue.JobPriority;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aar analyze FILE [--out DIR] [--priority P]}: the whole pipeline in this process —
 * preflight, extraction, indexing, analysis — then report.json, report.html and report.md in DIR,
 * and a searchable index ({@code aar search DIR "query"}).
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Reviews an archive of source code end to end and writes report.json, report.html and report.md.")
final class AnalyzeCommand implements Callable<Integer> {

    /** The organization the CLI acts as: it has no quota row, so it is unlimited. */
    static final String OWNER = "local";

    @Parameters(index = "0", paramLabel = "FILE", description = "the archive: .zip, .tar, .tar.gz/.tgz or .tar.xz (told apart by its content)")
    Path file;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "aar-out",
            description = "where the report and the search index go (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--priority", paramLabel = "P", defaultValue = "Normal",
            description = "Low, Normal, High or Critical (default: ${DEFAULT-VALUE})")
    String priority;

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        if (!Files.isRegularFile(file)) {
            err.println("aar: no such file: " + file);
            return AarCli.EXIT_REFUSED;
        }
        JobPriority jobPriority;
        try {
            jobPriority = JobPriority.parse(priority);
        } catch (IllegalArgumentException e) {
            err.println("aar: " + e.getMessage()); // a typo in an argument, not an internal error
            return AarCli.EXIT_REFUSED;
        }
        AarConfig cfg = config.load();
        // the archive only lives in a temporary directory deleted at exit: no key, no need to encrypt;
        // and deflating an already-compressed zip there only costs a pass over it to write and one per read
        var policy = cfg.storagePolicy().toBuilder().compressionEnabled(false);
        if (cfg.storagePolicy().encryptionKey() == null) {
            policy.encryptionEnabled(false);
        }
        cfg = cfg.toBuilder().storagePolicy(policy.build()).build();
        Files.createDirectories(out);
        String previousProject = IndexMeta.projectIdIn(out);
        Path data = Files.createTempDirectory("aar-analyze-");
        // an interrupted run (Ctrl-C) skips the finally below; the hook still removes the extracted sources
        Thread cleanup = new Thread(() -> deleteQuietly(data), "aar-analyze-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        long started = System.nanoTime();

        CompletableFuture<JobCompleted> done = new CompletableFuture<>();
        Aar.Builder builder = Aar.builder().config(cfg).dataDirectory(data)
                .listener(new ProgressBar(err, System.console() != null))
                .listener(e -> {
                    if (e instanceof JobCompleted c) {
                        done.complete(c);
                    }
                });
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Backends.Choice choice = Backends.apply(builder, cfg, data, null, meters);
        builder.analyzers(Backends.analyzers(cfg, config.file));
        // the search index outlives the run: chunks and vectors go to a SQLite file beside the report
        JdbcBackend index = JdbcBackend.create("jdbc:sqlite:" + out.resolve(SearchCommand.INDEX_FILE).toAbsolutePath());
        builder.embeddingStore(index.embeddingStore()).closeWith(index);

        try (Aar aar = builder.build()) {
            err.println("embeddings: " + choice.embeddings());
            Project project;
            try (InputStream zip = Files.newInputStream(file)) {
                project = aar.analysis().createProject(OWNER, file.getFileName().toString(), zip);
            }
            PreflightResult preflight = aar.analysis().preflight(OWNER, project.id(), TokenMode.FAST);
            if (!preflight.isWithinLimits()) {
                preflight.rejectionReasons().forEach(r -> err.println("aar: " + r.message() + " [" + r.code() + "]"));
                return AarCli.EXIT_REFUSED;
            }
            if (preflight.requiresApproval()) {
                // the person at the terminal is the approver; record it like any approval
                aar.analysis().approve(OWNER, project.id(), "cli:" + System.getProperty("user.name", "unknown"));
                err.printf(Locale.ROOT, "note: %,d files / %,d estimated tokens is above the auto-approval threshold;"
                        + " approved for this run%n", preflight.fileCount(), preflight.estimatedTokens());
            }
            aar.startWorkers();
            Job job = aar.analysis().submit(OWNER, project.id(), jobPriority);
            JobCompleted completed = done.get();
            if (!completed.isSuccess()) {
                err.println("aar: analysis failed: " + completed.error());
                return AarCli.EXIT_INTERNAL;
            }
            ReportStore reports = Collaborators.of(aar).reportStore();
            Report report = reports.find(completed.reportId()).orElseThrow();
            ReportWriter.write(report, out, reports); // the saved renderings, not a second rendering
            long chunks = Collaborators.of(aar).embeddingStore().count(project.id());
            IndexMeta.write(out, project.id(), job.id(), report.reportId(), Collaborators.of(aar).embeddingProvider().model().name());
            if (previousProject != null && !previousProject.equals(project.id())) {
                // search reads only the project index.json names: the previous run's chunks are dead
                // weight now (their vectors were reused above by content hash), so the file keeps one copy
                index.embeddingStore().deleteProject(previousProject);
            }
            long embedded = (long) meters.counter(AarMetrics.EMBEDDINGS_CREATED).count();
            double seconds = (System.nanoTime() - started) / 1e9;
            stdout.printf(Locale.ROOT, "files:     %,d indexed%n", preflight.fileCount());
            stdout.printf(Locale.ROOT, "chunks:    %,d (%,d newly embedded)%n", chunks, embedded);
            stdout.printf(Locale.ROOT, "tokens:    %,d%n", report.spend().tokens());
            stdout.printf(Locale.ROOT, "cost:      %.4f%n", report.spend().cost());
            stdout.printf(Locale.ROOT, "findings:  %,d%n", report.findings().size());
            stdout.printf(Locale.ROOT, "time:      %.1f s%n", seconds);
            stdout.printf(Locale.ROOT, "report:    %s%n", out.resolve("report.html").toAbsolutePath());
            stdout.flush();
            return 0;
        } finally {
            deleteQuietly(data);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: nothing left to remove
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // a temporary directory: the OS cleans it eventually
        }
    }
}
