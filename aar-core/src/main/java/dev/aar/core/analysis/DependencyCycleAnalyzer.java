package dev.aar.core.analysis;

import dev.aar.core.analysis.internal.Import;
import dev.aar.core.analysis.internal.ImportGraph;
import dev.aar.core.analysis.internal.ModuleCycles;
import dev.aar.core.event.Finding;
import dev.aar.core.event.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Finds cycles between modules (Java/Kotlin packages, C# namespaces, Python packages,
 * JavaScript/TypeScript directories linked by relative imports) and names the most depended-on
 * and most depending modules.
 *
 * <p>Each strongly connected component of the module graph is reported once, as rule
 * {@value #CYCLE_RULE}, with a shortest cycle through it and the import that creates each step;
 * a component of more than {@value #LARGE_CYCLE} modules is {@link Severity#HIGH}, otherwise
 * {@link Severity#MEDIUM}. The top modules by fan-in and fan-out are {@link Severity#INFO}
 * findings ({@value #FAN_IN_RULE}, {@value #FAN_OUT_RULE}).
 */
public final class DependencyCycleAnalyzer implements Analyzer {

    public static final String ID = "dependency-cycles";
    public static final String CYCLE_RULE = "dependency-cycle";
    public static final String FAN_IN_RULE = "most-depended-on-module";
    public static final String FAN_OUT_RULE = "most-depending-module";
    static final int LARGE_CYCLE = 5;

    private final int topModules;

    public DependencyCycleAnalyzer(AnalysisConfig config) {
        this.topModules = Objects.requireNonNull(config, "config").topModules();
    }

    @Override
    public String id() {
        return ID;
    }

    /** Reads the files only, so it runs while the project is still being indexed. */
    @Override
    public boolean usesEmbeddings() {
        return false;
    }

    @Override
    public String description() {
        return "Cycles between packages, namespaces and directories; most depended-on and most depending modules";
    }

    @Override
    public void analyze(ProjectView project, FindingSink sink) {
        ImportGraph graph = ImportGraph.of(project);
        for (ModuleCycles.Cycle cycle : ModuleCycles.find(graph)) {
            List<String> path = cycle.path();
            StringBuilder evidence = new StringBuilder();
            for (int i = 0; i + 1 < path.size(); i++) {
                Import step = graph.dependenciesOf(path.get(i)).get(path.get(i + 1));
                evidence.append(path.get(i)).append(" -> ").append(path.get(i + 1))
                        .append(" (").append(step.file()).append(':').append(step.line()).append(")\n");
            }
            Import first = graph.dependenciesOf(path.get(0)).get(path.get(1));
            String members = cycle.members().size() > path.size() - 1
                    ? " The cycle is part of a tangle of " + cycle.members().size() + " modules: "
                            + String.join(", ", cycle.members()) + "."
                    : "";
            sink.emit(new Finding(cycle.members().size() > LARGE_CYCLE ? Severity.HIGH : Severity.MEDIUM, CYCLE_RULE,
                    "Modules depend on each other in a cycle: " + String.join(" -> ", path)
                            + ". None of them can be understood, tested or released without the others." + members,
                    first.file(), first.line(), evidence.toString().strip()));
        }
        reportTop(graph.fanIn(), FAN_IN_RULE, "is imported by %d other modules", sink);
        Map<String, Integer> fanOut = new java.util.TreeMap<>();
        for (String m : graph.modules()) {
            int n = graph.dependenciesOf(m).size();
            if (n > 0) {
                fanOut.put(m, n);
            }
        }
        reportTop(fanOut, FAN_OUT_RULE, "imports %d other modules", sink);
    }

    private void reportTop(Map<String, Integer> counts, String rule, String what, FindingSink sink) {
        List<Map.Entry<String, Integer>> ranked = new ArrayList<>(counts.entrySet());
        ranked.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        for (int i = 0; i < Math.min(topModules, ranked.size()); i++) {
            Map.Entry<String, Integer> e = ranked.get(i);
            sink.emit(new Finding(Severity.INFO, rule, "Module " + e.getKey() + " " + String.format(what, e.getValue())
                    + " (rank " + (i + 1) + " in the project).", null, null, null));
        }
    }
}
