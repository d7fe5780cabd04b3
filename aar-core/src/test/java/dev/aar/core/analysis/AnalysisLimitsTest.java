package dev.aar.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.core.analysis.internal.AnalysisGuard;
import dev.aar.core.error.AnalysisDeadlineException;
import dev.aar.core.event.Finding;
import dev.aar.core.event.Severity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-file limits, the stop signal and the deadline of an {@link AnalysisRunner}. */
class AnalysisLimitsTest {

    /** Issue 13's 915-byte zip: one file whose header of unclosed annotations grows to 800 kB. */
    static final String HOSTILE = "@a(\n".repeat(200_000) + "{}";

    @TempDir
    Path dir;

    private static List<Finding> skipped(List<Finding> findings) {
        return Fixture.withRule(findings, AnalysisRunner.SKIPPED_RULE);
    }

    private static Analyzers builtIn(AnalysisLimits limits) {
        return Analyzers.builtIn(AnalysisConfig.builder().limits(limits).build());
    }

    private static String javaClass(String name, int methods) {
        StringBuilder s = new StringBuilder("package app;\nclass " + name + " {\n");
        for (int i = 0; i < methods; i++) {
            s.append("  void m").append(i).append("() {\n    if (x) { y(); }\n  }\n");
        }
        return s.append("}\n").toString();
    }

    @Test
    void theDefaultsAreGenerousAndDocumented() {
        AnalysisLimits d = AnalysisLimits.defaults();
        assertThat(d.maxFileBytes()).isEqualTo(8L * 1024 * 1024);
        assertThat(d.maxFileLines()).isEqualTo(500_000);
        assertThat(d.fileTimeBudget()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.deadline()).isEqualTo(Duration.ofHours(1));
        assertThat(Analyzers.builtIn(AnalysisConfig.defaults()).limits()).isEqualTo(d);
    }

    @Test
    void limitsAreReadFromTheAnalysisSectionAndRangeChecked() {
        AnalysisConfig c = AnalysisConfigReader.parse("{\"Analysis\":{\"MaxAnalyzedFileBytes\":1000,"
                + "\"MaxAnalyzedFileLines\":50,\"FileTimeBudgetMillis\":250,\"DeadlineSeconds\":60}}", "t");
        assertThat(c.limits()).isEqualTo(new AnalysisLimits(1000, 50, Duration.ofMillis(250), Duration.ofSeconds(60)));
        assertThatThrownBy(() -> AnalysisConfigReader.parse("{\"Analysis\":{\"DeadlineSeconds\":0}}", "t"))
                .hasMessageContaining("Analysis.DeadlineSeconds = 0 is out of range");
    }

    @Test
    void aFileOverTheByteOrLineLimitIsReportedOnceAndLeftOutOfEveryAnalyzer() {
        Fixture project = new Fixture(dir)
                .file("src/app/Small.java", javaClass("Small", 1))
                .file("src/app/Wide.java", javaClass("Wide", 200))
                .file("src/app/Long.py", "x = 1\n".repeat(400))
                .file("config/.env", "PASSWORD=hunter2-but-long-enough\n".repeat(100));
        AnalysisLimits limits = AnalysisLimits.defaults().withMaxFileBytes(3000).withMaxFileLines(300);
        List<Finding> findings = new ArrayList<>();

        new AnalysisRunner(builtIn(limits)).run(project.view(), Set.of(), findings::add, AnalysisListener.NONE);

        assertThat(skipped(findings)).extracting(Finding::file)
                .containsExactlyInAnyOrder("src/app/Wide.java", "src/app/Long.py", "config/.env");
        assertThat(skipped(findings)).allSatisfy(f -> {
            assertThat(f.severity()).isEqualTo(Severity.INFO);
            assertThat(f.description()).startsWith("File not analysed: it has ")
                    .doesNotContain(dir.toString()); // the project-relative path only, in the file field
            assertThat(f.evidence()).isNull();
        });
        assertThat(Fixture.withRule(findings, AnalysisRunner.SKIPPED_RULE).get(0).description())
                .containsAnyOf("(Analysis.MaxAnalyzedFileBytes)", "(Analysis.MaxAnalyzedFileLines)");
        // no other analyzer, the secrets one included, looked at a skipped file
        assertThat(findings).filteredOn(f -> !f.rule().equals(AnalysisRunner.SKIPPED_RULE))
                .extracting(Finding::file).doesNotContain("src/app/Wide.java", "src/app/Long.py", "config/.env");
        assertThat(findings).extracting(Finding::rule).doesNotContain(AnalysisRunner.FAILURE_RULE);
    }

    @Test
    void aResumedRunDoesNotReportTheSameSkippedFileAgain() {
        Fixture project = new Fixture(dir).file("Big.java", javaClass("Big", 100));
        List<Finding> findings = new ArrayList<>();
        new AnalysisRunner(builtIn(AnalysisLimits.defaults().withMaxFileBytes(100)))
                .run(project.view(), Set.of(InventoryAnalyzer.ID), findings::add, AnalysisListener.NONE);
        assertThat(skipped(findings)).isEmpty();
        assertThat(findings).extracting(Finding::file).doesNotContain("Big.java");
    }

    @Test
    void theHostileFileIsAnalysedInLinearTimeNotSkipped() {
        Fixture project = new Fixture(dir).file("src/Hostile.java", HOSTILE);
        List<Finding> findings = new ArrayList<>();
        AnalysisRunner runner = new AnalysisRunner(builtIn(AnalysisLimits.defaults()));
        ProjectView bounded = runner.bound(project.view());

        List<AnalyzerRun> runs = runner.run(bounded, Set.of(), findings::add, AnalysisListener.NONE);

        assertThat(runs).allMatch(AnalyzerRun::succeeded).hasSize(5);
        assertThat(skipped(findings)).isEmpty();
        assertThat(Fixture.withRule(findings, HotspotAnalyzer.FILE_RULE)).extracting(Finding::file)
                .containsExactly("src/Hostile.java");
        // a few dozen steps per character, over all five analyzers: linear, where the old scan was quadratic
        long steps = AnalysisGuard.of(bounded).steps();
        assertThat(steps).isLessThan(100L * HOSTILE.length());
    }

    @Test
    void aFileOverItsTimeBudgetIsReportedAndLeftOutOfTheRestOfTheRun() {
        Fixture project = new Fixture(dir)
                .file("src/app/Small.java", javaClass("Small", 1))
                .file("src/app/Slow.java", javaClass("Slow", 20_000));
        // a clock that moves 1 ms each time it is read: the budget runs out after a fixed amount of scanning
        AtomicLong now = new AtomicLong();
        AnalysisLimits limits = AnalysisLimits.defaults().withFileTimeBudget(Duration.ofMillis(40));
        Analyzers hotspotsThenInventory = Analyzers.builder().limits(limits)
                .add(new HotspotAnalyzer(AnalysisConfig.defaults())).add(new InventoryAnalyzer()).build();
        List<Finding> findings = new ArrayList<>();
        List<AnalyzerRun> runs = new AnalysisRunner(hotspotsThenInventory, () -> false, () -> false,
                () -> now.addAndGet(1_000_000)).run(project.view(), Set.of(), findings::add, AnalysisListener.NONE);

        assertThat(runs).hasSize(2).allMatch(AnalyzerRun::succeeded);
        assertThat(skipped(findings)).singleElement().satisfies(f -> {
            assertThat(f.file()).isEqualTo("src/app/Slow.java");
            assertThat(f.description()).isEqualTo("File not analysed: analyzer 'hotspots' spent more than 40 ms "
                    + "on it (Analysis.FileTimeBudgetMillis).");
        });
        // the hotspot scan of the file stopped (no class finding); the inventory after it left the file out
        assertThat(Fixture.withRule(findings, HotspotAnalyzer.CLASS_RULE)).isEmpty();
        assertThat(Fixture.withRule(findings, InventoryAnalyzer.LANGUAGES_RULE)).singleElement()
                .satisfies(f -> assertThat(f.description()).startsWith("1 files, "));
    }

    @Test
    void aRunPastItsDeadlineFailsWithATypedError() {
        Fixture project = new Fixture(dir).file("a/A.java", javaClass("A", 1)).file("b/B.java", javaClass("B", 1));
        AtomicLong now = new AtomicLong();
        AnalysisLimits limits = AnalysisLimits.defaults().withDeadline(Duration.ofSeconds(3));
        AnalysisRunner runner = new AnalysisRunner(builtIn(limits), () -> false, () -> false,
                () -> now.addAndGet(1_000_000_000L));

        assertThatThrownBy(() -> runner.run(project.view(), Set.of(), f -> { }, AnalysisListener.NONE))
                .isInstanceOfSatisfying(AnalysisDeadlineException.class, e -> {
                    assertThat(e.code()).isEqualTo("analysis.deadline_exceeded");
                    assertThat(e.isClientError()).isTrue(); // the same upload would time out again: no retry
                    assertThat(e.getMessage()).contains("3 s (Analysis.DeadlineSeconds)");
                });
    }

    /** A stop signal that turns true once the scan is inside the hostile file's brace scan. */
    private static final class StopInsideTheScan implements BooleanSupplier {
        final AtomicInteger textReads = new AtomicInteger();
        final AtomicInteger pollsInside = new AtomicInteger();
        /** Polls (every 16,384 steps) after the hotspot analyzer read the file: its line count takes ~50. */
        static final int STOP_AT = 120;

        @Override
        public boolean getAsBoolean() {
            return textReads.get() >= 2 && pollsInside.incrementAndGet() >= STOP_AT;
        }
    }

    private ProjectView hostileView(AtomicInteger textReads) {
        ProjectView onDisk = new Fixture(dir).file("src/Hostile.java", HOSTILE).view();
        SourceFile file = onDisk.files().get(0);
        SourceFile counting = new SourceFile() {
            @Override
            public String path() {
                return file.path();
            }

            @Override
            public Language language() {
                return file.language();
            }

            @Override
            public long sizeBytes() {
                return file.sizeBytes();
            }

            @Override
            public String text() {
                textReads.incrementAndGet(); // 1: the line-limit screening, 2: the hotspot analyzer
                return file.text();
            }
        };
        return new ProjectView() {
            @Override
            public String projectId() {
                return "p1";
            }

            @Override
            public List<SourceFile> files() {
                return List.of(counting);
            }
        };
    }

    @Test
    void aStopInsideAFileEndsTheScanThereWithoutAFailureFinding() {
        Analyzers hotspots = Analyzers.builder().add(new HotspotAnalyzer(AnalysisConfig.defaults())).build();
        // the whole scan, for comparison
        AnalysisRunner full = new AnalysisRunner(hotspots);
        ProjectView all = full.bound(hostileView(new AtomicInteger()));
        full.run(all, Set.of(), f -> { }, AnalysisListener.NONE);
        long fullSteps = AnalysisGuard.of(all).steps();

        StopInsideTheScan stop = new StopInsideTheScan();
        AnalysisRunner runner = new AnalysisRunner(hotspots, stop);
        ProjectView bounded = runner.bound(hostileView(stop.textReads));
        List<Finding> findings = new ArrayList<>();
        List<AnalyzerRun> runs = runner.run(bounded, Set.of(), findings::add, AnalysisListener.NONE);

        assertThat(runs).isEmpty(); // the hotspot analyzer did not finish, so a resumed job runs it again
        assertThat(findings).extracting(Finding::rule).doesNotContain(AnalysisRunner.FAILURE_RULE);
        // it stopped at the first check after the signal: STOP_AT checks in, far from the end of the file
        long stoppedAt = AnalysisGuard.of(bounded).steps();
        assertThat(stoppedAt).isLessThan(fullSteps / 2);
        assertThat(stop.pollsInside.get()).isEqualTo(StopInsideTheScan.STOP_AT);
    }

    @Test
    void aCancelFromAnotherThreadStopsARunningScan() throws Exception {
        // the runner's thread pauses inside the scan until the test has cancelled: no race, no sleep
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        AtomicBoolean cancel = new AtomicBoolean();
        AtomicInteger textReads = new AtomicInteger();
        AtomicInteger polls = new AtomicInteger();
        BooleanSupplier stop = () -> {
            if (textReads.get() >= 2 && polls.incrementAndGet() == StopInsideTheScan.STOP_AT) {
                inside.countDown();
                await(cancelled);
            }
            return cancel.get();
        };
        Analyzers hotspots = Analyzers.builder().add(new HotspotAnalyzer(AnalysisConfig.defaults())).build();
        ProjectView view = hostileView(textReads);
        CompletableFuture<List<AnalyzerRun>> run = CompletableFuture.supplyAsync(
                () -> new AnalysisRunner(hotspots, stop).run(view, Set.of(), f -> { }, AnalysisListener.NONE));

        assertThat(inside.await(60, TimeUnit.SECONDS)).isTrue();
        cancel.set(true);
        cancelled.countDown();

        assertThat(run.get(60, TimeUnit.SECONDS)).isEmpty();
        assertThat(polls.get()).isEqualTo(StopInsideTheScan.STOP_AT); // stopped at the very next check
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void theHostileTextIsNineHundredBytesZipped() throws Exception {
        // the numbers: a sub-kilobyte archive, 800 kB of source
        var out = new java.io.ByteArrayOutputStream();
        try (var zip = new java.util.zip.ZipOutputStream(out)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("src/Hostile.java"));
            zip.write(HOSTILE.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(out.size()).isLessThan(2000);
        assertThat(HOSTILE.length()).isEqualTo(800_002);
    }
}
