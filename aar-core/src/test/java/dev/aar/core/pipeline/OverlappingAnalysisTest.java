package dev.aar.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aar.core.Aar;
import dev.aar.core.analysis.AnalysisConfig;
import dev.aar.core.analysis.Analyzers;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.EmbeddingProcessing;
import dev.aar.core.config.ScaleLimits;
import dev.aar.core.config.WorkerProcessing;
import dev.aar.core.embedding.OfflineEmbeddingProvider;
import dev.aar.core.event.JobCompleted;
import dev.aar.core.event.Phase;
import dev.aar.core.event.ProgressEvent;
import dev.aar.core.event.ProgressUpdate;
import dev.aar.core.project.Project;
import dev.aar.core.report.Report;
import dev.aar.core.testing.PhaseMarks;
import dev.aar.core.worker.JobPhase;
import dev.aar.core.worker.PhasedJobHandler;
import dev.aar.core.wiring.internal.Collaborators;
import dev.aar.embedding.EmbeddingProvider;
import dev.aar.queue.Job;
import dev.aar.queue.JobPriority;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analysis job with its phases overlapping: Analyzing beside Indexing, same results as one after another. */
class OverlappingAnalysisTest {

    private static final String OWNER = "org-a";
    private static final Duration WAIT = Duration.ofMinutes(2);

    @TempDir
    Path data;

    private final List<ProgressEvent> events = new CopyOnWriteArrayList<>();
    private final CompletableFuture<JobCompleted> completed = new CompletableFuture<>();

    private static final AarConfig CONFIG = AarConfig.builder()
            .scaleLimits(ScaleLimits.builder().autoApprovalThresholdFiles(10_000).build())
            .embeddingProcessing(EmbeddingProcessing.builder().batchSize(4).maxConcurrency(2).build())
            .workerProcessing(WorkerProcessing.builder().checkpointIntervalFiles(5).build())
            .build();

    private Aar.Builder aar(Path dir, EmbeddingProvider provider) {
        return Aar.builder().config(CONFIG).dataDirectory(dir).embeddingProvider(provider).listener(e -> {
            events.add(e);
            if (e instanceof JobCompleted c) {
                completed.complete(c);
            }
        });
    }

    /** A small multi-package project: imports that make a cycle, a planted secret, a manifest. */
    static Map<String, String> project(int packages) {
        Map<String, String> files = new LinkedHashMap<>();
        for (int p = 0; p < packages; p++) {
            String next = "com.acme.p" + ((p + 1) % packages);
            for (int c = 0; c < 4; c++) {
                files.put("src/main/java/com/acme/p" + p + "/C" + c + ".java", "package com.acme.p" + p + ";\n\n"
                        + "import " + next + ".C" + c + ";\n\npublic class C" + c + " {\n"
                        + "    // component " + p + "." + c + "\n    private final int value = " + (p * 10 + c) + ";\n"
                        + "    public int value() {\n        return value + " + c + ";\n    }\n}\n");
            }
        }
        files.put("src/main/resources/app.properties", "db.password=Pr0d-S3cret-Passw0rd-2024\n");
        files.put("pom.xml", "<project><artifactId>acme</artifactId></project>\n");
        files.put("README.md", "# acme\n");
        return files;
    }

    private List<String> marks() {
        return events.stream().filter(ProgressUpdate.class::isInstance).map(ProgressUpdate.class::cast)
                .filter(u -> u.message() != null && (u.message().equals("started") || u.message().equals("completed")))
                .map(u -> u.phase().displayName() + " " + u.message()).toList();
    }

    @Test
    void analyzingRunsToItsEndWhileIndexingWaitsOnItsFirstRequest() throws Exception {
        IndexingCancelTest.GatedProvider provider = new IndexingCancelTest.GatedProvider();
        try (Aar aar = aar(data, provider).build()) {
            Project project = aar.analysis().createProject(OWNER, "acme.zip", AnalysisServiceTest.zip(project(6)));
            aar.startWorkers();
            aar.analysis().submit(OWNER, project.id(), JobPriority.HIGH);

            assertThat(provider.entered.await(2, TimeUnit.MINUTES)).isTrue();
            // Indexing cannot complete while its first request is held, yet Analyzing completes
            await().atMost(WAIT).until(() -> marks().contains("Analyzing completed"));
            assertThat(marks()).doesNotContain("Indexing completed", "Saving started");
            provider.release.countDown();

            JobCompleted done = completed.get(2, TimeUnit.MINUTES);
            assertThat(done.isSuccess()).as(done.error()).isTrue();
            PhaseMarks.assertMarks(marks(), "Extracting started", "Indexing started", "Extracting completed",
                    "Analyzing started", "Analyzing completed", "Indexing completed", "Saving started", "Saving completed");
            // each phase's percent only goes up
            for (Phase phase : Phase.values()) {
                List<Double> percents = events.stream().filter(ProgressUpdate.class::isInstance)
                        .map(ProgressUpdate.class::cast).filter(u -> u.phase() == phase)
                        .map(ProgressUpdate::progressPercent).toList();
                assertThat(percents).as(phase.displayName()).isSorted().last().isEqualTo(100.0);
            }
            Report report = aar.analysis().report(OWNER, done.reportId()).orElseThrow();
            long sum = report.phaseTimings().stream().mapToLong(t -> t.millis()).sum();
            assertThat(report.elapsedMillis()).isPositive().isLessThanOrEqualTo(sum);
        }
    }

    @Test
    void theReportAndTheIndexAreTheSameAsWithThePhasesOneAfterAnother() throws Exception {
        Map<String, String> files = project(8);
        Result overlapped = analyze(data.resolve("overlapped"), files, false);
        Result sequential = analyze(data.resolve("sequential"), files, true);

        assertThat(overlapped.report.findings()).isNotEmpty().isEqualTo(sequential.report.findings());
        assertThat(overlapped.report.inventory()).isEqualTo(sequential.report.inventory());
        assertThat(overlapped.report.moduleGraph()).isEqualTo(sequential.report.moduleGraph());
        assertThat(overlapped.report.spend()).isEqualTo(sequential.report.spend());
        assertThat(overlapped.report.summary()).isEqualTo(sequential.report.summary());
        assertThat(overlapped.report.phaseTimings()).extracting(t -> t.phase())
                .containsExactly(Phase.EXTRACTING, Phase.INDEXING, Phase.ANALYZING, Phase.SAVING);
        assertThat(overlapped.chunks).isEqualTo(sequential.chunks).isEqualTo(files.size());
        assertThat(overlapped.nearest).isNotEmpty().isEqualTo(sequential.nearest);
    }

    private record Result(Report report, long chunks, List<String> nearest) {
    }

    private Result analyze(Path dir, Map<String, String> files, boolean oneAfterAnother) throws Exception {
        CompletableFuture<JobCompleted> done = new CompletableFuture<>();
        try (Aar aar = Aar.builder().config(CONFIG).dataDirectory(dir)
                .embeddingProvider(OfflineEmbeddingProvider.withDimensions(64)).listener(e -> {
                    if (e instanceof JobCompleted c) {
                        done.complete(c);
                    }
                }).build()) {
            Project project = aar.analysis().createProject(OWNER, "acme.zip", AnalysisServiceTest.zip(files));
            if (oneAfterAnother) {
                // the same phases, each after all before it: the job as it ran before phases overlapped
                PhasedJobHandler.Builder sequential = PhasedJobHandler.builder(AnalysisRequest.JOB_TYPE);
                for (JobPhase p : aar.analysis().handler().phases()) {
                    sequential.phase(p);
                }
                Collaborators.of(aar).workerPool().handlers(sequential.build()).build().start();
            } else {
                aar.startWorkers();
            }
            aar.analysis().submit(OWNER, project.id(), JobPriority.HIGH);
            JobCompleted c = done.get(2, TimeUnit.MINUTES);
            assertThat(c.isSuccess()).as(c.error()).isTrue();
            Report report = aar.analysis().report(OWNER, c.reportId()).orElseThrow();
            float[] query = OfflineEmbeddingProvider.withDimensions(64).embed(List.of("component value")).vectors().get(0);
            List<String> nearest = Collaborators.of(aar).embeddingStore().search(project.id(), query, 5).stream()
                    .map(s -> s.chunk().chunkId() + "@" + s.score()).toList();
            return new Result(report, Collaborators.of(aar).embeddingStore().count(project.id()), nearest);
        }
    }

    @Test
    void cancellingWhileIndexingAndAnalyzingRunStopsBoth() throws Exception {
        IndexingCancelTest.GatedProvider provider = new IndexingCancelTest.GatedProvider();
        AnalyzingPhaseLimitsTest.UntilStopped analyzer = new AnalyzingPhaseLimitsTest.UntilStopped(false);
        try (Aar aar = aar(data, provider).analyzers(Analyzers.builder().addBuiltIns(AnalysisConfig.defaults())
                .add(analyzer).build()).build()) {
            Project project = aar.analysis().createProject(OWNER, "acme.zip", AnalysisServiceTest.zip(project(6)));
            aar.startWorkers();
            Job job = aar.analysis().submit(OWNER, project.id(), JobPriority.HIGH);
            assertThat(provider.entered.await(2, TimeUnit.MINUTES)).isTrue();
            assertThat(analyzer.entered.await(2, TimeUnit.MINUTES)).isTrue();

            assertThat(aar.analysis().cancel(OWNER, job.id())).isTrue();
            provider.release.countDown();

            JobCompleted done = completed.get(2, TimeUnit.MINUTES);
            assertThat(done.isSuccess()).isFalse();
            assertThat(done.error()).isEqualTo("cancelled");
            assertThat(marks()).doesNotContain("Indexing completed", "Analyzing completed", "Saving started");
        }
    }
}
