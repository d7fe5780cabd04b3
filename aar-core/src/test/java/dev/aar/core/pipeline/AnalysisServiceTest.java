package dev.aar.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.core.Aar;
import dev.aar.core.analysis.AnalysisConfig;
import dev.aar.core.analysis.Analyzers;
import dev.aar.core.error.ArchiveRejectedException;
import dev.aar.core.error.NotFoundException;
import dev.aar.core.error.QuotaExceededException;
import dev.aar.core.config.AarConfig;
import dev.aar.core.preflight.Approval;
import dev.aar.core.preflight.PreflightResult;
import dev.aar.core.preflight.TokenMode;
import dev.aar.core.config.ScaleLimits;
import dev.aar.core.config.WorkerProcessing;
import dev.aar.core.embedding.OfflineEmbeddingProvider;
import dev.aar.core.event.FindingUpdate;
import dev.aar.core.event.JobCompleted;
import dev.aar.core.event.Phase;
import dev.aar.core.event.ProgressEvent;
import dev.aar.core.event.ProgressUpdate;
import dev.aar.core.metrics.AarMetrics;
import dev.aar.core.preflight.ApprovalRequiredException;
import dev.aar.core.preflight.PreflightResult;
import dev.aar.core.preflight.ThroughputStats;
import dev.aar.core.preflight.TokenMode;
import dev.aar.core.project.Project;
import dev.aar.core.report.internal.HtmlReport;
import dev.aar.core.report.internal.MarkdownReport;
import dev.aar.core.report.PhaseTiming;
import dev.aar.core.report.Report;
import dev.aar.core.wiring.internal.Collaborators;
import dev.aar.embedding.EmbeddingModel;
import dev.aar.embedding.EmbeddingProvider;
import dev.aar.embedding.EmbeddingProviderException;
import dev.aar.embedding.EmbeddingResult;
import dev.aar.queue.Job;
import dev.aar.queue.JobPriority;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalysisServiceTest {

    private static final String OWNER = "org-a";

    @TempDir
    Path data;

    private final List<ProgressEvent> events = new CopyOnWriteArrayList<>();
    private final CompletableFuture<JobCompleted> completed = new CompletableFuture<>();

    private Aar.Builder aar(AarConfig config) {
        return Aar.builder().config(config).dataDirectory(data).listener(e -> {
            events.add(e);
            if (e instanceof JobCompleted c) {
                completed.complete(c);
            }
        });
    }

    @Test
    void analysesAProjectThroughEveryPhaseAndSavesAReport() throws Exception {
        try (Aar aar = aar(AarConfig.defaults()).build()) {
            Project project = aar.analysis().createProject(OWNER, "shop.zip", zip(shop()));
            aar.startWorkers();
            Job job = aar.analysis().submit(OWNER, project.id(), JobPriority.HIGH);

            JobCompleted done = completed.get(60, TimeUnit.SECONDS);
            assertThat(done.isSuccess()).as(done.error()).isTrue();
            assertThat(done.reportId()).isEqualTo(AnalysisService.reportIdOf(job.id()));

            Report report = aar.analysis().report(OWNER, done.reportId()).orElseThrow();
            assertThat(report.projectId()).isEqualTo(project.id());
            assertThat(report.findings()).extracting(f -> f.rule())
                    .contains("dependency-cycle").anyMatch(rule -> rule.startsWith("secret"));
            assertThat(report.preflight().fileCount()).isEqualTo(4);
            assertThat(Collaborators.of(aar).embeddingStore().count(project.id())).isGreaterThanOrEqualTo(4);
            // the Analyzing phase's module graph reached the saved report: the shop's planted 3-package cycle
            assertThat(report.moduleGraph().edges()).hasSize(3).allMatch(e -> e.cycle());
            assertThat(report.moduleGraph().cycles())
                    .containsExactly(List.of("com.shop.domain", "com.shop.infra", "com.shop.web"));
            assertThat(HtmlReport.render(report).split("<g class=\"edge cycle\">", -1)).hasSize(4);

            // every phase reported progress, in the pipeline's order, and every finding was streamed
            List<Phase> phases = events.stream().filter(ProgressUpdate.class::isInstance)
                    .map(e -> ((ProgressUpdate) e).phase()).distinct().toList();
            assertThat(phases).containsExactly(Phase.EXTRACTING, Phase.INDEXING, Phase.ANALYZING, Phase.SAVING);
            assertThat(events.stream().filter(FindingUpdate.class::isInstance).count())
                    .isEqualTo(report.findings().size());
        }
        // the workspace of a finished job is gone once its worker is done (it is deleted after the
        // completion, which does not wait for it; closing waits for the workers)
        try (var left = Files.list(data.resolve("work"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void theConfiguredLayeringRulesMarkTheGraphEdgesTheyForbidInTheSavedReport() throws Exception {
        String rule = "..domain.. must not depend on ..infra..";
        Analyzers analyzers = Analyzers.builtIn(AnalysisConfig.builder().layerRules(rule).build());
        try (Aar aar = aar(AarConfig.defaults()).analyzers(analyzers).build()) {
            Project project = aar.analysis().createProject(OWNER, "shop.zip", zip(shop()));
            aar.startWorkers();
            aar.analysis().submit(OWNER, project.id(), JobPriority.HIGH);
            JobCompleted done = completed.get(60, TimeUnit.SECONDS);
            assertThat(done.isSuccess()).as(done.error()).isTrue();

            Report report = aar.analysis().report(OWNER, done.reportId()).orElseThrow();
            assertThat(report.moduleGraph().edges()).filteredOn(e -> e.violates() != null).singleElement()
                    .satisfies(e -> {
                        assertThat(e.from()).isEqualTo("com.shop.domain");
                        assertThat(e.to()).isEqualTo("com.shop.infra");
                        assertThat(e.violates()).isEqualTo(rule);
                    });
            // the finding and the picture tell the same story
            assertThat(report.findings()).filteredOn(f -> f.rule().equals("layering-violation")).singleElement()
                    .satisfies(f -> assertThat(f.file()).endsWith("Order.java"));
            assertThat(HtmlReport.render(report)).contains("<g class=\"edge cycle violation\">",
                    "1 dependency breaks a layering rule");
        }
    }

    @Test
    void aFinishedJobCalibratesTheNextEstimateAndTheReportShowsEstimateBesideActual() throws Exception {
        try (Aar aar = aar(AarConfig.defaults()).build()) {
            Project project = aar.analysis().createProject(OWNER, "shop.zip", zip(shop()));
            PreflightResult cold = aar.analysis().preflight(OWNER, project.id(), TokenMode.EXACT);
            assertThat(cold.estimate().basis()).startsWith("configured model");
            assertThat(aar.analysis().throughput().jobs()).isZero();
            aar.startWorkers();
            aar.analysis().submit(OWNER, project.id(), JobPriority.HIGH);
            JobCompleted done = completed.get(60, TimeUnit.SECONDS);
            assertThat(done.isSuccess()).as(done.error()).isTrue();

            Report report = aar.analysis().report(OWNER, done.reportId()).orElseThrow();
            assertThat(report.preflight().estimatedPhaseTimings()).extracting(PhaseTiming::phase)
                    .containsExactly(Phase.EXTRACTING, Phase.INDEXING, Phase.ANALYZING, Phase.SAVING);
            assertThat(MarkdownReport.render(report)).contains("| | Estimated | Actual |", "| Indexing time | ",
                    "| Total time | ");

            ThroughputStats stats = aar.analysis().throughput();
            assertThat(stats.jobs()).isEqualTo(1);
            assertThat(stats.indexing()).extracting(ThroughputStats.ModelRate::model)
                    .containsExactly(Collaborators.of(aar).embeddingProvider().model().name());
            assertThat(stats.estimateRatio()).isPositive();
            assertThat(Collaborators.of(aar).metrics().registry().get(AarMetrics.PREFLIGHT_ESTIMATE_RATIO).summary().count()).isEqualTo(1);

            PreflightResult warm = aar.analysis().preflight(OWNER, project.id(), TokenMode.EXACT);
            // the job recorded its own wall time too: the next estimate's total follows how much its phases overlapped
            assertThat(warm.estimate().basis()).startsWith("medians of the last 1 finished job; indexing from 1 job with model "
                    + Collaborators.of(aar).embeddingProvider().model().name() + "; phases overlapping: the job's wall time is ");
            assertThat(warm.estimate().totalSeconds()).isLessThanOrEqualTo(warm.estimate().phasesSeconds());
            assertThat(report.preflight().estimatedProcessingTimeSeconds()).isPositive();
            assertThat(report.elapsedMillis()).isPositive();
            assertThat(warm.estimatedProcessingTimeSeconds()).isEqualTo((long) Math.ceil(warm.estimate().totalSeconds()));
        }
    }

    @Test
    void anotherOrganizationSeesNothing() throws Exception {
        try (Aar aar = aar(AarConfig.defaults()).build()) {
            Project project = aar.analysis().createProject(OWNER, "shop.zip", zip(shop()));
            assertThatThrownBy(() -> aar.analysis().project("org-b", project.id())).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> aar.analysis().submit("org-b", project.id(), JobPriority.NORMAL))
                    .isInstanceOf(NotFoundException.class);
            Job job = aar.analysis().submit(OWNER, project.id(), JobPriority.NORMAL);
            assertThat(aar.analysis().job("org-b", job.id())).isEmpty();
            assertThat(aar.analysis().job(OWNER, job.id())).isPresent();
        }
    }

    @Test
    void aProjectAboveTheThresholdWaitsForApproval() throws Exception {
        AarConfig config = AarConfig.builder()
                .scaleLimits(ScaleLimits.builder().autoApprovalThresholdFiles(1).build()).build();
        try (Aar aar = aar(config).build()) {
            Project project = aar.analysis().createProject(OWNER, "shop.zip", zip(shop()));
            assertThatThrownBy(() -> aar.analysis().submit(OWNER, project.id(), JobPriority.NORMAL))
                    .isInstanceOf(ApprovalRequiredException.class);
            assertThat(Collaborators.of(aar).jobQueue().stats().queued()).isZero();

            Project approved = aar.analysis().approve(OWNER, project.id(), "alice");
            assertThat(approved.approvedBy()).isEqualTo("alice");
            assertThat(approved.approvedAt()).isNotNull();
            assertThat(aar.analysis().submit(OWNER, project.id(), JobPriority.NORMAL)).isNotNull();
        }
    }

    @Test
    void theHostInspectsThePreflightAndApprovesWithWhoAndWhyRecorded() throws Exception {
        AarConfig config = AarConfig.builder()
                .scaleLimits(ScaleLimits.builder().autoApprovalThresholdFiles(1).build()).build();
        try (Aar aar = aar(config).build()) {
            Project project = aar.analysis().createProject(OWNER, "shop.zip", zip(shop()));

            PreflightResult preflight = aar.analysis().preflight(OWNER, project.id(), TokenMode.FAST);
            assertThat(preflight.requiresApproval()).isTrue();
            assertThatThrownBy(() -> aar.analysis().submit(OWNER, project.id(), JobPriority.NORMAL))
                    .isInstanceOf(ApprovalRequiredException.class).hasMessageContaining("Approval");

            Project approved = aar.analysis().approve(OWNER, project.id(), Approval.of("release-bot", "release review"));
            assertThat(approved.approvedBy()).isEqualTo("release-bot: release review");
            assertThat(aar.analysis().submit(OWNER, project.id(), JobPriority.NORMAL)).isNotNull();
        }
    }

    @Test
    void submittingWithAnExplicitApprovalRecordsItOnlyWhenTheProjectNeedsOne() throws Exception {
        AarConfig strict = AarConfig.builder()
                .scaleLimits(ScaleLimits.builder().autoApprovalThresholdFiles(1).build()).build();
        try (Aar aar = aar(strict).build()) {
            Project project = aar.analysis().createProject(OWNER, "shop.zip", zip(shop()));

            assertThat(aar.analysis().submit(OWNER, project.id(), JobPriority.HIGH, Approval.of("ci", "nightly")))
                    .isNotNull();
            assertThat(aar.analysis().project(OWNER, project.id()).approvedBy()).isEqualTo("ci: nightly");
        }
        try (Aar aar = aar(AarConfig.defaults()).dataDirectory(data.resolve("second")).build()) {
            Project small = aar.analysis().createProject(OWNER, "shop.zip", zip(shop()));

            assertThat(aar.analysis().submit(OWNER, small.id(), JobPriority.HIGH, Approval.of("ci", "nightly"))).isNotNull();
            assertThat(aar.analysis().project(OWNER, small.id()).approvedBy()).isNull();
        }
        assertThatThrownBy(() -> Approval.of("ci", " ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aHostileArchiveIsRefusedBeforeItIsQueued() throws Exception {
        Map<String, String> files = new LinkedHashMap<>(shop());
        files.put("../../escape.txt", "boom");
        try (Aar aar = aar(AarConfig.defaults()).build()) {
            Project project = aar.analysis().createProject(OWNER, "evil.zip", zip(files));
            assertThatThrownBy(() -> aar.analysis().submit(OWNER, project.id(), JobPriority.NORMAL))
                    .isInstanceOf(ArchiveRejectedException.class)
                    .hasMessageContaining("archive.path_traversal")
                    .extracting(e -> ((ArchiveRejectedException) e).code()).isEqualTo("archive.path_traversal");
            assertThat(Collaborators.of(aar).jobQueue().stats().queued()).isZero();
        }
    }

    @Test
    void anOrganizationOutOfProjectsCannotQueueMore() throws Exception {
        try (Aar aar = aar(AarConfig.defaults()).build()) {
            Collaborators.of(aar).quotaService().setLimits(OWNER, 1_000_000, 1, 1L << 40);
            Project project = aar.analysis().createProject(OWNER, "shop.zip", zip(shop()));
            aar.analysis().submit(OWNER, project.id(), JobPriority.NORMAL);
            assertThatThrownBy(() -> aar.analysis().submit(OWNER, project.id(), JobPriority.NORMAL))
                    .isInstanceOf(QuotaExceededException.class)
                    .hasMessageContaining("MonthlyProjectLimit");
        }
    }

    @Test
    void aJobThatFailsMidIndexingResumesFromItsCheckpointWithoutDuplicates() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < 12; i++) {
            files.put("src/p" + i + "/C" + i + ".java", "package p" + i + ";\n\nclass C" + i + " {\n  int v" + i + ";\n}\n");
        }
        AarConfig config = AarConfig.builder().workerProcessing(WorkerProcessing.builder()
                .checkpointIntervalFiles(2).retryDelaySeconds(0).build()).build();
        FlakyProvider flaky = new FlakyProvider(5);
        try (Aar aar = aar(config).embeddingProvider(flaky).build()) {
            Project project = aar.analysis().createProject(OWNER, "many.zip", zip(files));
            aar.startWorkers();
            aar.analysis().submit(OWNER, project.id(), JobPriority.NORMAL);

            JobCompleted done = completed.get(60, TimeUnit.SECONDS);
            assertThat(done.isSuccess()).as(done.error()).isTrue();
            assertThat(flaky.failures.get()).isEqualTo(1);
            // each file is one chunk: 12 chunks stored once each, whatever was redone
            assertThat(Collaborators.of(aar).embeddingStore().count(project.id())).isEqualTo(12);
            // the second attempt started from the last checkpoint, not from the first file
            assertThat(flaky.embeddedFiles()).hasSizeLessThan(12 + 5);
            assertThat(events).filteredOn(e -> e.getClass().getSimpleName().equals("JobFailed")).hasSize(1);
            // every chunk's tokens are charged once: those the failed attempt stored after its last
            // cursor checkpoint too (the retry reuses those chunks for free)
            long charged = aar.analysis().report(OWNER, done.reportId()).orElseThrow().spend().tokens();
            assertThat(charged).isEqualTo(tokensOfACleanRun(files));
        }
    }

    private long tokensOfACleanRun(Map<String, String> files) throws Exception {
        CompletableFuture<JobCompleted> clean = new CompletableFuture<>();
        try (Aar aar = Aar.builder().dataDirectory(data.resolve("clean")).listener(e -> {
            if (e instanceof JobCompleted c) {
                clean.complete(c);
            }
        }).embeddingProvider(new FlakyProvider(Integer.MAX_VALUE)).build()) {
            Project project = aar.analysis().createProject(OWNER, "many.zip", zip(files));
            aar.startWorkers();
            aar.analysis().submit(OWNER, project.id(), JobPriority.NORMAL);
            JobCompleted done = clean.get(60, TimeUnit.SECONDS);
            assertThat(done.isSuccess()).as(done.error()).isTrue();
            return aar.analysis().report(OWNER, done.reportId()).orElseThrow().spend().tokens();
        }
    }

    /** Embeds one input per call and fails once, at call {@code failAt}, with a server error. */
    private static final class FlakyProvider implements EmbeddingProvider {
        private final OfflineEmbeddingProvider inner = OfflineEmbeddingProvider.create();
        private final int failAt;
        private final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        private final List<String> embedded = new CopyOnWriteArrayList<>();

        FlakyProvider(int failAt) {
            this.failAt = failAt;
        }

        @Override
        public EmbeddingModel model() {
            EmbeddingModel m = inner.model();
            return new EmbeddingModel(m.name(), m.dimensions(), m.maxTokensPerInput(), 1, m.maxTokensPerRequest(), 0);
        }

        @Override
        public EmbeddingResult embed(List<String> inputs) {
            if (calls.incrementAndGet() == failAt) {
                failures.incrementAndGet();
                throw new EmbeddingProviderException("injected outage", 400, null, null);
            }
            embedded.addAll(inputs);
            return inner.embed(inputs);
        }

        List<String> embeddedFiles() {
            return new ArrayList<>(embedded);
        }
    }

    private static Map<String, String> shop() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("src/com/shop/domain/Order.java", """
                package com.shop.domain;

                import com.shop.infra.Repo;

                public class Order { Repo repo; }
                """);
        files.put("src/com/shop/infra/Repo.java", """
                package com.shop.infra;

                import com.shop.web.Api;

                public class Repo {
                    private static final String PASSWORD = "s3cr3t-Pa55w0rd-for-prod";
                    Api api;
                }
                """);
        files.put("src/com/shop/web/Api.java", """
                package com.shop.web;

                import com.shop.domain.Order;

                public class Api { Order order; }
                """);
        files.put("README.md", "# shop\n");
        files.put("node_modules/left-pad/index.js", "module.exports = 1;\n");
        return files;
    }

    static ByteArrayInputStream zip(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> f : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(f.getKey()));
                zip.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }
}
