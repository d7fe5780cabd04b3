package dev.aar.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.event.Finding;
import dev.aar.core.event.Severity;
import dev.aar.core.report.internal.HtmlReport;
import dev.aar.core.report.Report;
import dev.aar.core.report.internal.ReportJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs every built-in analyzer over real code and checks the run completes and its report round-trips. */
class RealCodebaseAnalysisTest {

    private static final Path JDK_SOURCES = dev.aar.core.testing.JdkSources.zip();
    /** java.util, java.util.concurrent and java.util.function: about 230 files, 6 MB, with known package cycles. */
    private static final Pattern SAMPLE = Pattern.compile("java\\.base/java/util/(?:concurrent/|function/)?[^/]+");

    @TempDir
    Path dir;

    private static Report analyze(ProjectView view) {
        AnalysisConfig config = AnalysisConfig.builder()
                .layerRules("java.util.concurrent.. must not depend on java.util.stream..").build();
        List<Finding> findings = new ArrayList<>();
        List<AnalyzerRun> runs = new AnalysisRunner(Analyzers.builtIn(config))
                .run(view, Set.of(), findings::add, AnalysisListener.NONE);
        assertThat(runs).hasSize(5).allSatisfy(r -> assertThat(r.succeeded()).as(r.analyzerId()).isTrue());
        return Report.builder("r-real", view.projectId(), "j-real").createdAt(Instant.now())
                .inventory(Inventory.of(view)).moduleGraph(ModuleGraph.of(view)).findings(findings).build();
    }

    @Test
    void analyzesASampleOfTheJdkSources() throws IOException {
        Assumptions.assumeTrue(JDK_SOURCES != null, "no JDK src.zip on this machine");
        int extracted = extract(JDK_SOURCES, SAMPLE, dir);
        ProjectView view = DirectoryProjectView.builder("jdk-util", dir).build();
        assertThat(view.files()).hasSize(extracted);

        Report report = analyze(view);

        assertThat(report.inventory().languages()).first().satisfies(l -> assertThat(l.language()).isEqualTo("Java"));
        assertThat(report.findings()).extracting(Finding::rule)
                .contains(DependencyCycleAnalyzer.CYCLE_RULE, HotspotAnalyzer.FUNCTION_RULE, HotspotAnalyzer.FILE_RULE);
        // java.util and java.util.concurrent import each other
        assertThat(report.findings()).filteredOn(f -> f.rule().equals(DependencyCycleAnalyzer.CYCLE_RULE))
                .anySatisfy(f -> assertThat(f.description()).contains("java.util.concurrent"));
        assertThat(report.findings()).noneMatch(f -> f.rule().equals(AnalysisRunner.FAILURE_RULE));
        assertThat(report.findings()).filteredOn(f -> f.rule().startsWith("secret-"))
                .allSatisfy(f -> assertThat(f.severity()).isNotEqualTo(Severity.CRITICAL));
        assertThat(ReportJson.read(ReportJson.write(report))).isEqualTo(report);
        // the module graph carries the same cycle, and the page draws it
        assertThat(report.moduleGraph().edges())
                .contains(new ModuleGraph.Edge("java.util", "java.util.concurrent",
                        edgeImports(report, "java.util", "java.util.concurrent"), true));
        assertThat(HtmlReport.render(report)).contains("<g class=\"edge cycle\">");
    }

    private static int edgeImports(Report report, String from, String to) {
        return report.moduleGraph().edges().stream().filter(e -> e.from().equals(from) && e.to().equals(to))
                .findFirst().orElseThrow().imports();
    }

    /**
     * The whole JDK (about 800 packages) through the module graph and the HTML page: opt in with
     * {@code -Daar.jdk.full=true}; the page is written to {@code target/jdk-report.html} to look at.
     */
    @Test
    void theWholeJdksPageStaysSmall() throws IOException {
        Assumptions.assumeTrue(JDK_SOURCES != null, "no JDK src.zip on this machine");
        Assumptions.assumeTrue(Boolean.getBoolean("aar.jdk.full"), "opt in with -Daar.jdk.full=true");
        extract(JDK_SOURCES, Pattern.compile("[^/]+/.+\\.java"), dir);
        ProjectView view = DirectoryProjectView.builder("jdk", dir).build();
        Report report = Report.builder("r-jdk", "jdk", "j-jdk").createdAt(Instant.EPOCH)
                .inventory(Inventory.of(view)).moduleGraph(ModuleGraph.of(view)).build();
        String html = HtmlReport.render(report);
        Files.writeString(Paths.get("target/jdk-report.html"), html);
        System.out.printf("JDK: %d modules, %d edges, %d cycles; report.html %d bytes, report.json %d bytes%n",
                report.moduleGraph().nodes().size(), report.moduleGraph().edges().size(),
                report.moduleGraph().cycles().size(), html.getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
                ReportJson.write(report).length);
        assertThat(report.moduleGraph().nodes().size()).isGreaterThan(800);
        assertThat(html.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThan(5_000_000);
    }

    @Test
    void analyzesThisRepositorysOwnSources() {
        Path sources = Paths.get("src/main/java").toAbsolutePath();
        Assumptions.assumeTrue(Files.isDirectory(sources), "run from the aar-core module directory");
        Report report = analyze(DirectoryProjectView.builder("aar-core", sources).build());
        assertThat(report.inventory().totalFiles()).isGreaterThan(50);
        assertThat(report.findings()).extracting(Finding::rule).contains(InventoryAnalyzer.LANGUAGES_RULE);
        assertThat(ReportJson.read(ReportJson.write(report))).isEqualTo(report);
    }

    private static int extract(Path zip, Pattern names, Path target) throws IOException {
        int n = 0;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.isDirectory() || !names.matcher(e.getName()).matches()) {
                    continue;
                }
                Path out = target.resolve(e.getName()).normalize();
                if (!out.startsWith(target)) {
                    continue;
                }
                Files.createDirectories(out.getParent());
                Files.copy(in, out); // copies this entry only; the zip stream stays open
                n++;
            }
        }
        return n;
    }
}
