package dev.aar.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aar.core.Aar;
import dev.aar.core.analysis.AnalysisConfig;
import dev.aar.core.analysis.AnalysisRunner;
import dev.aar.core.analysis.Analyzer;
import dev.aar.core.analysis.Analyzers;
import dev.aar.core.analysis.FindingSink;
import dev.aar.core.analysis.HotspotAnalyzer;
import dev.aar.core.analysis.ProjectView;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.ScaleLimits;
import dev.aar.core.event.Finding;
import dev.aar.core.event.JobCompleted;
import dev.aar.core.event.Phase;
import dev.aar.core.event.ProgressUpdate;
import dev.aar.core.project.Project;
import dev.aar.core.report.Report;
import dev.aar.queue.Job;
import dev.aar.queue.JobPriority;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13's hostile archive through the whole job, and a cancel that reaches a running analyzer. */
class AnalyzingPhaseLimitsTest {

    private static final String OWNER = "org-a";
    /** One file whose header of unclosed annotations grew quadratically costly in the old scanner. */
    private static final String HOSTILE = "@a(\n".repeat(200_000) + "{}";

    @TempDir
    Path data;

    private final CompletableFuture<JobCompleted> completed = new CompletableFuture<>();
    private final AtomicBoolean analyzing = new AtomicBoolean();

    private Aar.Builder aar(Analyzers analyzers) {
        // 800 kB of annotations is ~600k tokens: above the default approval threshold
        AarConfig config = AarConfig.builder()
                .scaleLimits(ScaleLimits.builder().autoApprovalThresholdTokens(100_000_000L).build()).build();
        return Aar.builder().config(config).dataDirectory(data).analyzers(analyzers).listener(e -> {
            if (e instanceof ProgressUpdate p && p.phase() == Phase.ANALYZING) {
                analyzing.set(true);
            }
            if (e instanceof JobCompleted c) {
                completed.complete(c);
            }
        });
    }

    @Test
    void theHostileArchiveIsAnalysedToTheEnd() throws Exception {
        try (Aar aar = aar(Analyzers.builtIn(AnalysisConfig.defaults())).build()) {
            Project project = aar.analysis().createProject(OWNER, "hostile.zip",
                    AnalysisServiceTest.zip(Map.of("src/Hostile.java", HOSTILE)));
            aar.startWorkers();
            aar.analysis().submit(OWNER, project.id(), JobPriority.HIGH);

            // a bound for a hung test, not a timing assertion: the old scanner needed hours here
            JobCompleted done = completed.get(5, TimeUnit.MINUTES);
            assertThat(done.isSuccess()).as(done.error()).isTrue();
            Report report = aar.analysis().report(OWNER, done.reportId()).orElseThrow();
            assertThat(report.findings()).extracting(Finding::rule)
                    .doesNotContain(AnalysisRunner.FAILURE_RULE, AnalysisRunner.SKIPPED_RULE)
                    .contains(HotspotAnalyzer.FILE_RULE);
        }
    }

    /** Walks the project's file list until the run is stopped: the list checks the stop signal. */
    static final class UntilStopped implements Analyzer {
        final CountDownLatch entered = new CountDownLatch(1);
        private final boolean usesEmbeddings;

        UntilStopped() {
            this(true);
        }

        /** @param usesEmbeddings false lets it run beside Indexing */
        UntilStopped(boolean usesEmbeddings) {
            this.usesEmbeddings = usesEmbeddings;
        }

        @Override
        public boolean usesEmbeddings() {
            return usesEmbeddings;
        }

        @Override
        public String id() {
            return "until-stopped";
        }

        @Override
        public String description() {
            return "never finishes on its own";
        }

        @Override
        public void analyze(ProjectView project, FindingSink sink) {
            entered.countDown();
            while (true) {
                project.files().get(0).path();
            }
        }
    }

    @Test
    void cancellingAJobStopsTheAnalyzerItIsIn() throws Exception {
        UntilStopped analyzer = new UntilStopped();
        try (Aar aar = aar(Analyzers.builder().add(analyzer).build()).build()) {
            Project project = aar.analysis().createProject(OWNER, "a.zip",
                    AnalysisServiceTest.zip(Map.of("src/A.java", "class A {}\n")));
            aar.startWorkers();
            Job job = aar.analysis().submit(OWNER, project.id(), JobPriority.HIGH);

            assertThat(analyzer.entered.await(2, TimeUnit.MINUTES)).isTrue();
            // progress events are delivered asynchronously: the Analyzing one may trail the analyzer's start
            await().atMost(java.time.Duration.ofMinutes(1)).untilTrue(analyzing);
            assertThat(aar.analysis().cancel(OWNER, job.id())).isTrue();

            JobCompleted done = completed.get(2, TimeUnit.MINUTES);
            assertThat(done.isSuccess()).isFalse();
            assertThat(done.error()).isEqualTo("cancelled");
        }
    }
}
