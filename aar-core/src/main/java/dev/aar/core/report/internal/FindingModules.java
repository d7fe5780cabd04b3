package dev.aar.core.report.internal;

import dev.aar.core.analysis.ModuleGraph;
import dev.aar.core.event.Finding;
import dev.aar.core.event.Severity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Assigns findings to modules by their file's directory: the longest trailing run of directories
 * that, joined with dots, names a module ({@code src/main/java/a/b/X.java} belongs to {@code a.b}).
 * Project-wide findings and files outside every module have their own rows.
 */
public final class FindingModules {

    /** Row of findings that name no file. */
    public static final String PROJECT = "(project-wide)";
    /** Row of findings in files of no module (build files, resources, tests). */
    public static final String OTHER = "(other files)";

    private FindingModules() {
    }

    /** Returns the top {@code limit} modules by findings with counts per severity, most findings first. */
    public static List<BarSvg.Stacked> rows(List<Finding> findings, ModuleGraph graph, int limit) {
        Set<String> modules = new HashSet<>();
        graph.nodes().forEach(n -> modules.add(n.name()));
        Map<String, String> byDirectory = new HashMap<>();
        Map<String, int[]> counts = new TreeMap<>();
        for (Finding f : findings) {
            String module = f.file() == null ? PROJECT
                    : byDirectory.computeIfAbsent(directory(f.file()), d -> moduleOf(d, modules));
            counts.computeIfAbsent(module, k -> new int[Severity.values().length])[f.severity().ordinal()]++;
        }
        List<BarSvg.Stacked> rows = new ArrayList<>();
        counts.forEach((m, c) -> rows.add(new BarSvg.Stacked(m, c)));
        rows.sort(java.util.Comparator.comparingInt((BarSvg.Stacked s) -> -s.total())
                .thenComparing(BarSvg.Stacked::label)); // TreeMap order first, so ties are by name
        return rows.subList(0, Math.min(limit, rows.size()));
    }

    private static String directory(String file) {
        int slash = file.lastIndexOf('/');
        return slash < 0 ? "" : file.substring(0, slash);
    }

    private static String moduleOf(String directory, Set<String> modules) {
        String dotted = directory.replace('/', '.');
        // walk suffixes from the longest: "src.main.java.a.b", "main.java.a.b", ..., "b"
        for (int start = 0; start >= 0 && start <= dotted.length(); ) {
            String candidate = dotted.substring(start);
            if (!candidate.isEmpty() && modules.contains(candidate)) {
                return candidate;
            }
            int dot = dotted.indexOf('.', start);
            start = dot < 0 ? -1 : dot + 1;
        }
        return OTHER;
    }
}
