package dev.aar.core.report.internal;

import static dev.aar.core.report.internal.Text.markdown;

import dev.aar.core.analysis.Inventory;
import dev.aar.core.analysis.ModuleGraph;
import dev.aar.core.event.Finding;
import dev.aar.core.event.Severity;
import dev.aar.core.report.Report;
import dev.aar.core.report.Summary;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link Report} as Markdown (CommonMark with GitHub tables): summary, findings grouped
 * by severity then rule with {@code file:line}, run numbers and inventory. Text from the report is
 * escaped, so HTML or Markdown inside a finding shows as text; evidence goes in fenced code blocks
 * whose fence is longer than any backtick run inside.
 *
 * <p>When the report has a {@link ModuleGraph}, a Mermaid {@code graph} block (which GitHub renders)
 * shows the modules, capped at {@value #MERMAID_NODES} by grouping names by their leading segments.
 * Nodes have generated ids and every label character outside a small safe set is a Mermaid entity
 * code, so no module name can end the block or inject Mermaid syntax.
 */
public final class MarkdownReport {

    /** Most nodes the Mermaid graph draws. */
    public static final int MERMAID_NODES = 40;

    private MarkdownReport() {
    }

    /** Returns the Markdown document. */
    public static String render(Report r) {
        StringBuilder out = new StringBuilder(8192);
        out.append("# Architecture review: ").append(markdown(r.projectName() != null ? r.projectName() : r.projectId()))
                .append("\n\n").append("Project `").append(r.projectId().replace("`", "'")).append("` · job `")
                .append(r.jobId().replace("`", "'")).append("` · report `").append(r.reportId().replace("`", "'"))
                .append("` · ").append(r.createdAt()).append("\n\n## Summary\n\n")
                .append("| Severity | Findings |\n|---|---:|\n");
        Summary s = r.summary();
        int[] counts = {s.critical(), s.high(), s.medium(), s.low(), s.info()};
        for (Severity sev : Severity.values()) {
            out.append("| ").append(sev.displayName()).append(" | ").append(counts[sev.ordinal()]).append(" |\n");
        }
        out.append("| **Total** | **").append(s.total()).append("** |\n");
        for (Map.Entry<Severity, Map<String, List<Finding>>> bySeverity : Text.group(r.findings()).entrySet()) {
            out.append("\n## ").append(bySeverity.getKey().displayName()).append("\n");
            for (Map.Entry<String, List<Finding>> byRule : bySeverity.getValue().entrySet()) {
                out.append("\n### ").append(markdown(byRule.getKey())).append(" (").append(byRule.getValue().size())
                        .append(")\n\n");
                for (Finding f : byRule.getValue()) {
                    out.append("- **").append(markdown(Text.location(f))).append("**: ")
                            .append(markdown(f.description())).append('\n');
                    if (f.evidence() != null) {
                        String fence = Text.fenceFor(f.evidence());
                        out.append("\n  ").append(fence).append('\n');
                        for (String line : f.evidence().split("\n", -1)) {
                            out.append("  ").append(line).append('\n');
                        }
                        out.append("  ").append(fence).append("\n\n");
                    }
                }
            }
        }
        moduleGraph(r.moduleGraph(), out);
        run(r, out);
        inventory(r.inventory(), out);
        return out.toString();
    }

    private static void moduleGraph(ModuleGraph graph, StringBuilder out) {
        if (graph == null || graph.nodes().isEmpty()) {
            return;
        }
        ModuleGraph.Collapsed drawn = graph.collapse(MERMAID_NODES);
        out.append("\n## Module graph\n\n").append(Text.counts(graph)).append('.');
        if (drawn.grouped()) {
            out.append(" Modules are grouped by leading name segments: a node stands for every module under its name.");
        }
        if (drawn.notDrawn() > 0) {
            out.append(' ').append(drawn.notDrawn()).append(" more modules not drawn.");
        }
        out.append(" Red arrows are dependencies in a cycle");
        if (drawn.graph().edges().stream().anyMatch(e -> e.violates() != null)) {
            out.append("; dotted arrows break a layering rule (the findings name the rule)");
        }
        out.append(".\n\n```mermaid\ngraph TD\n");
        java.util.Map<String, String> ids = new java.util.HashMap<>();
        for (ModuleGraph.Node n : drawn.graph().nodes()) {
            String id = "m" + ids.size();
            ids.put(n.name(), id);
            out.append("  ").append(id).append("[\"").append(Text.mermaid(n.name())).append("\"]\n");
        }
        StringBuilder cycleLinks = new StringBuilder();
        StringBuilder violationLinks = new StringBuilder();
        int link = 0;
        for (ModuleGraph.Edge e : drawn.graph().edges()) {
            out.append("  ").append(ids.get(e.from())).append(e.violates() != null ? " -.-> " : " --> ")
                    .append(ids.get(e.to())).append('\n');
            StringBuilder marked = e.cycle() ? cycleLinks : e.violates() != null ? violationLinks : null;
            if (marked != null) {
                marked.append(marked.isEmpty() ? "" : ",").append(link);
            }
            link++;
        }
        if (!cycleLinks.isEmpty()) {
            out.append("  linkStyle ").append(cycleLinks).append(" stroke:#cf222e,stroke-width:2px\n");
        }
        if (!violationLinks.isEmpty()) {
            out.append("  linkStyle ").append(violationLinks).append(" stroke:#8250df,stroke-width:2px\n");
        }
        out.append("```\n");
    }

    private static void run(Report r, StringBuilder out) {
        out.append("\n## Run: estimate and actual\n\n| | Estimated | Actual |\n|---|---:|---:|\n");
        for (RunComparison.Row row : RunComparison.rows(r)) {
            out.append("| ").append(row.name()).append(" | ").append(row.estimated()).append(" | ").append(row.actual())
                    .append(" |\n");
        }
    }

    private static void inventory(Inventory inv, StringBuilder out) {
        out.append("\n## Inventory\n\n").append(inv.totalFiles()).append(" files, ").append(inv.totalLines())
                .append(" lines. ").append(inv.testFiles()).append(" test files for ").append(inv.sourceFiles())
                .append(" source files; ").append(String.format(Locale.ROOT, "%.2f", inv.testToSourceRatio()))
                .append(" test lines per source line.\n");
        if (!inv.languages().isEmpty()) {
            out.append("\n| Language | Files | Lines |\n|---|---:|---:|\n");
            for (Inventory.LanguageStats l : inv.languages()) {
                out.append("| ").append(markdown(l.language())).append(" | ").append(l.files()).append(" | ")
                        .append(l.lines()).append(" |\n");
            }
        }
        if (!inv.manifests().isEmpty()) {
            out.append("\n### Build manifests\n\n");
            for (Inventory.BuildManifest m : inv.manifests()) {
                out.append("- **").append(markdown(m.path())).append("** (").append(markdown(m.kind())).append(", ")
                        .append(m.dependencies().size()).append(" dependencies")
                        .append(m.problem() == null ? "" : "; " + markdown(m.problem())).append(")\n");
                for (String d : m.dependencies()) {
                    out.append("  - ").append(markdown(d)).append('\n');
                }
            }
        }
    }
}
