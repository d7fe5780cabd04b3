package dev.aar.benchmarks.analysis;

import dev.aar.core.analysis.AnalysisConfig;
import dev.aar.core.analysis.AnalysisListener;
import dev.aar.core.analysis.AnalysisRunner;
import dev.aar.core.analysis.AnalyzerRun;
import dev.aar.core.analysis.Analyzers;
import dev.aar.core.analysis.DirectoryProjectView;
import dev.aar.core.analysis.Inventory;
import dev.aar.core.analysis.ProjectView;
import dev.aar.core.event.Finding;
import dev.aar.core.report.Report;
import dev.aar.core.report.internal.HtmlReport;
import dev.aar.core.report.internal.ReportJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Measures how fast the built-in analyzers get through real code: extracts the JDK sources under a
 * prefix of src.zip, runs every analyzer once to warm up and then {@code rounds} times, and prints
 * the time per analyzer and the throughput.
 *
 * <p>Usage: {@code AnalysisThroughputMain [prefix] [rounds]}; default {@code java.base/java/} and 3.
 */
public final class AnalysisThroughputMain {

    private AnalysisThroughputMain() {
    }

    public static void main(String[] args) throws IOException {
        String prefix = args.length > 0 ? args[0] : "java.base/java/";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path zip = Paths.get(System.getProperty("java.home"), "lib", "src.zip");
        Path dir = Files.createTempDirectory("aar-analysis-bench");
        try {
            long bytes = extract(zip, prefix, dir);
            Analyzers analyzers = Analyzers.builtIn(AnalysisConfig.defaults());
            run(dir, analyzers, "warm-up");
            for (int i = 1; i <= rounds; i++) {
                run(dir, analyzers, "round " + i);
            }
            System.out.printf(Locale.ROOT, "sample: %s (%.1f MB)%n", prefix, bytes / 1e6);
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(Path dir, Analyzers analyzers, String label) {
        long start = System.nanoTime();
        // a fresh view each round, so file texts are read from disk every time, as in a job
        ProjectView view = DirectoryProjectView.builder("bench", dir).build();
        List<Finding> findings = new ArrayList<>();
        List<AnalyzerRun> runs = new AnalysisRunner(analyzers).run(view, Set.of(), findings::add, AnalysisListener.NONE);
        Inventory inventory = Inventory.of(view);
        Report report = Report.builder("r", "bench", "j").inventory(inventory).findings(findings).build();
        int jsonBytes = ReportJson.write(report).length;
        int htmlChars = HtmlReport.render(report).length();
        double seconds = (System.nanoTime() - start) / 1e9;
        StringBuilder per = new StringBuilder();
        for (AnalyzerRun r : runs) {
            per.append(' ').append(r.analyzerId()).append('=').append(r.durationMillis()).append("ms");
        }
        System.out.printf(Locale.ROOT, "%s: %d files, %d lines, %d findings in %.2f s (%.0f files/s, %.0f lines/s);%s;"
                        + " json %d B, html %d chars%n", label, inventory.totalFiles(), inventory.totalLines(),
                findings.size(), seconds, inventory.totalFiles() / seconds, inventory.totalLines() / seconds,
                per, jsonBytes, htmlChars);
    }

    private static long extract(Path zip, String prefix, Path target) throws IOException {
        long bytes = 0;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                Path out = target.resolve(e.getName()).normalize();
                if (e.isDirectory() || !e.getName().startsWith(prefix) || !out.startsWith(target)) {
                    continue;
                }
                Files.createDirectories(out.getParent());
                bytes += Files.copy(in, out);
            }
        }
        return bytes;
    }
}
