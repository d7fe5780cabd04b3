package dev.aar.core.report;

import static dev.aar.core.report.internal.Text.markdown;

import dev.aar.core.analysis.Inventory;
import dev.aar.core.event.Finding;
import dev.aar.core.event.Severity;
import dev.aar.core.report.internal.Text;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link Report} as Markdown (CommonMark with GitHub tables): summary, findings grouped
 * by severity then rule with {@code file:line}, run numbers and inventory. Text from the report is
 * escaped, so HTML or Markdown inside a finding shows as text; evidence goes in fenced code blocks
 * whose fence is longer than any backtick run inside.
 */
public final class MarkdownReport {

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
        run(r, out);
        inventory(r.inventory(), out);
        return out.toString();
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
