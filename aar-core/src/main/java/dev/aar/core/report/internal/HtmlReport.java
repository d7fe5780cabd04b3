package dev.aar.core.report.internal;

import static dev.aar.core.report.internal.Text.html;

import dev.aar.core.analysis.Inventory;
import dev.aar.core.analysis.ModuleGraph;
import dev.aar.core.event.Finding;
import dev.aar.core.event.Severity;
import dev.aar.core.report.Report;
import dev.aar.core.report.Summary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders a {@link Report} as one self-contained HTML page: inline CSS, no scripts, no external
 * assets, so it reads the same offline. Findings are grouped by severity, then rule; each has an
 * anchor ({@code #finding-N}) and its {@code file:line} links to it, and an index of files links to
 * every finding in each file. Every value from the report is HTML-escaped.
 *
 * <p>When the report has a {@link ModuleGraph}, an "Architecture" section draws it as inline SVG
 * (allowed by a {@code default-src 'none'; style-src 'unsafe-inline'} policy: inline SVG is part of
 * the document, not a loaded resource): the module graph capped at {@value #GRAPH_NODES} nodes
 * (dependencies in a cycle red, those that break a layering rule purple and dashed), findings by
 * module and severity, and the largest files coloured by their findings. When the graph had to be
 * grouped to fit, each group of the overview gets its own graph of the modules inside it (capped
 * at {@value #DETAIL_NODES} nodes), linked from its box, while those pictures fit in
 * {@value #DETAIL_CHARS} characters.
 */
public final class HtmlReport {

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:72rem;\
            padding:0 1rem;color:#1f2328;line-height:1.45}
            h1{margin-bottom:.2rem}h2{border-bottom:1px solid #d0d7de;padding-bottom:.3rem;margin-top:2rem}
            table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #d0d7de;padding:.3rem .6rem;\
            text-align:left;vertical-align:top}th{background:#f6f8fa}
            .meta{color:#57606a}.badge{display:inline-block;border-radius:1rem;padding:.1rem .7rem;margin-right:.4rem;\
            font-weight:600;color:#fff}
            .critical{background:#8b0000}.high{background:#cf222e}.medium{background:#bc4c00}.low{background:#9a6700}\
            .info{background:#57606a}
            .finding{border:1px solid #d0d7de;border-radius:6px;padding:.5rem .8rem;margin:.5rem 0}
            .finding:target{outline:3px solid #0969da}
            .loc{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
            pre{background:#f6f8fa;padding:.5rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all;margin:.3rem 0}
            .picture{overflow-x:auto;margin:.5rem 0}.legend svg{vertical-align:middle}
            a{color:#0969da;text-decoration:none}a:hover{text-decoration:underline}
            """;

    /** Most nodes the module graph picture draws; bigger projects are grouped by leading name segments. */
    public static final int GRAPH_NODES = 60;
    /** Most nodes each group's own graph draws. */
    public static final int DETAIL_NODES = 40;
    /**
     * Most characters the groups' own graphs take together; a group whose graph would pass it is
     * named, not drawn. A bound on the page whatever the project's shape (one group of 40 modules
     * that all import each other draws to about 0.4 MB); the JDK 17 sources' 42 group graphs take 0.39 MB.
     */
    public static final int DETAIL_CHARS = 1_000_000;
    /** Rows of the findings-by-module chart. */
    static final int MODULE_ROWS = 20;

    private HtmlReport() {
    }

    /** Returns the page. */
    public static String render(Report r) {
        StringBuilder out = new StringBuilder(16_384);
        String title = "Architecture review: " + (r.projectName() != null ? r.projectName() : r.projectId());
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(html(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n")
                .append("</head>\n<body>\n<h1>").append(html(title)).append("</h1>\n")
                .append("<p class=\"meta\">Project ").append(html(r.projectId())).append(" &middot; job ")
                .append(html(r.jobId())).append(" &middot; report ").append(html(r.reportId())).append(" &middot; ")
                .append(html(r.createdAt().toString())).append("</p>\n");
        summary(r, out);
        architecture(r, out);
        findings(r, out);
        fileIndex(r, out);
        run(r, out);
        inventory(r.inventory(), out);
        out.append("</body>\n</html>\n");
        return out.toString();
    }

    private static void summary(Report r, StringBuilder out) {
        Summary s = r.summary();
        out.append("<h2 id=\"summary\">Summary</h2>\n<p>");
        int[] counts = {s.critical(), s.high(), s.medium(), s.low(), s.info()};
        for (Severity sev : Severity.values()) {
            out.append("<a class=\"badge ").append(cssClass(sev)).append("\" href=\"#severity-").append(cssClass(sev))
                    .append("\">").append(html(sev.displayName())).append(' ').append(counts[sev.ordinal()])
                    .append("</a>");
        }
        out.append("</p>\n<p>").append(s.total()).append(" findings in total.</p>\n");
    }

    private static void architecture(Report r, StringBuilder out) {
        ModuleGraph graph = r.moduleGraph();
        if (graph == null) {
            return;
        }
        out.append("<h2 id=\"architecture\">Architecture</h2>\n<h3 id=\"module-graph\">Module dependency graph</h3>\n");
        if (graph.nodes().isEmpty()) {
            out.append("<p>No modules were found in the parsed sources.</p>\n");
        } else {
            ModuleGraph.Collapsed drawn = graph.collapse(GRAPH_NODES);
            out.append("<p class=\"meta\">").append(Text.counts(graph))
                    .append(". Dependencies point down; box height grows with lines.");
            if (drawn.grouped()) {
                out.append(" Modules are grouped by leading name segments: a box stands for every module under its name.");
            }
            if (drawn.notDrawn() > 0) {
                out.append(' ').append(drawn.notDrawn()).append(" more modules not drawn.");
            }
            long violations = graph.edges().stream().filter(e -> e.violates() != null).count();
            if (violations > 0) {
                out.append(' ').append(violations).append(violations == 1 ? " dependency breaks" : " dependencies break")
                        .append(" a layering rule (hover over a dashed edge for the rule).");
            }
            Map<String, String> links = new TreeMap<>();
            if (drawn.grouped()) {
                int id = 0;
                for (Map.Entry<String, List<String>> g : drawn.members().entrySet()) {
                    if (g.getValue().size() > 1) {
                        links.put(g.getKey(), "module-graph-" + id++);
                    }
                }
                if (!links.isEmpty()) {
                    out.append(" Click a group for the graph of the modules inside it.");
                }
            }
            out.append("</p>\n");
            legend(violations > 0, out);
            out.append("<div class=\"picture\">")
                    .append(GraphSvg.render(drawn.graph(), "Module dependency graph", links)).append("</div>\n");
            groupGraphs(graph, drawn, links, out);
        }
        if (!r.findings().isEmpty()) {
            out.append("<h3 id=\"findings-by-module\">Findings by module and severity</h3>\n<div class=\"picture\">")
                    .append(BarSvg.stacked(FindingModules.rows(r.findings(), graph, MODULE_ROWS))).append("</div>\n");
        }
        if (!graph.largestFiles().isEmpty()) {
            Map<String, Integer> perFile = new TreeMap<>();
            for (Finding f : r.findings()) {
                if (f.file() != null) {
                    perFile.merge(f.file(), 1, Integer::sum);
                }
            }
            List<BarSvg.Ranked> rows = new ArrayList<>();
            for (ModuleGraph.FileSize f : graph.largestFiles()) {
                rows.add(new BarSvg.Ranked(f.path(), f.lines(), perFile.getOrDefault(f.path(), 0)));
            }
            out.append("<h3 id=\"hotspots\">Hotspots: largest files</h3>\n<p class=\"meta\">Lines \u00b7 findings; ")
                    .append("grey without findings, amber with 1\u20132, red with 3 or more.</p>\n<div class=\"picture\">")
                    .append(BarSvg.ranked("hotspots", "Largest files by lines", rows, "lines")).append("</div>\n");
        }
    }

    private static void legend(boolean violations, StringBuilder out) {
        out.append("<p class=\"legend\">");
        legendLine(GraphSvg.PLAIN, null, "dependency", out);
        legendLine(GraphSvg.CYCLE, null, "dependency in a cycle", out);
        if (violations) {
            legendLine(GraphSvg.VIOLATION, GraphSvg.VIOLATION_DASH, "breaks a layering rule", out);
        }
        out.append("</p>\n");
    }

    private static void legendLine(String colour, String dash, String text, StringBuilder out) {
        out.append("<svg width=\"30\" height=\"10\"><line x1=\"0\" y1=\"5\" x2=\"30\" y2=\"5\" stroke=\"")
                .append(colour).append("\" stroke-width=\"2\"").append(dash == null ? "" : " stroke-dasharray=\"" + dash + "\"")
                .append("/></svg> ").append(text).append(' ');
    }

    /**
     * One graph per group of the overview that stands for more than one module, in the overview's
     * name order, each reduced to {@link #DETAIL_NODES}; a group whose picture would take the pictures
     * past {@link #DETAIL_CHARS} is only named.
     */
    private static void groupGraphs(ModuleGraph graph, ModuleGraph.Collapsed drawn, Map<String, String> links,
            StringBuilder out) {
        if (links.isEmpty()) {
            return;
        }
        out.append("<h3 id=\"module-graphs-inside\">Inside each group</h3>\n<p class=\"meta\">The modules of each ")
                .append("group in the overview and the dependencies between them; dependencies that leave the group ")
                .append("are in the overview.</p>\n");
        int used = 0;
        List<String> skipped = new ArrayList<>();
        for (Map.Entry<String, String> link : links.entrySet()) {
            ModuleGraph inside = graph.within(drawn.members().get(link.getKey()));
            ModuleGraph.Collapsed part = inside.collapse(DETAIL_NODES);
            StringBuilder section = new StringBuilder(8192);
            section.append("<h4 id=\"").append(link.getValue()).append("\">").append(html(link.getKey()))
                    .append("</h4>\n<p class=\"meta\">").append(Text.counts(inside)).append(" inside.");
            if (part.grouped()) {
                section.append(" Grouped by leading name segments.");
            }
            if (part.notDrawn() > 0) {
                section.append(' ').append(part.notDrawn()).append(" more modules not drawn.");
            }
            section.append(" <a href=\"#module-graph\">Back to the overview</a></p>\n<div class=\"picture\">")
                    .append(GraphSvg.render(part.graph(), "Modules inside " + link.getKey(), Map.of()))
                    .append("</div>\n");
            if (used + section.length() > DETAIL_CHARS) {
                skipped.add(link.getKey());
                continue;
            }
            used += section.length();
            out.append(section);
        }
        if (!skipped.isEmpty()) {
            out.append("<p class=\"meta\">Not drawn, to keep the page small: ")
                    .append(html(String.join(", ", skipped))).append(".</p>\n");
        }
    }

    private static void findings(Report r, StringBuilder out) {
        // findings are sorted, so each severity and each rule is one contiguous run; anchors are positions
        List<Finding> all = r.findings();
        int i = 0;
        while (i < all.size()) {
            Severity sev = all.get(i).severity();
            int sevEnd = i;
            while (sevEnd < all.size() && all.get(sevEnd).severity() == sev) {
                sevEnd++;
            }
            int n = sevEnd - i;
            out.append("<h2 id=\"severity-").append(cssClass(sev)).append("\"><span class=\"badge ")
                    .append(cssClass(sev)).append("\">").append(html(sev.displayName())).append("</span>")
                    .append(n).append(n == 1 ? " finding" : " findings").append("</h2>\n");
            while (i < sevEnd) {
                String rule = all.get(i).rule();
                int ruleEnd = i;
                while (ruleEnd < sevEnd && all.get(ruleEnd).rule().equals(rule)) {
                    ruleEnd++;
                }
                out.append("<h3 id=\"rule-").append(cssClass(sev)).append('-').append(Text.slug(rule)).append("\">")
                        .append(html(rule)).append(" (").append(ruleEnd - i).append(")</h3>\n");
                for (; i < ruleEnd; i++) {
                    finding(all.get(i), i + 1, out);
                }
            }
        }
    }

    private static void finding(Finding f, int id, StringBuilder out) {
        out.append("<div class=\"finding\" id=\"finding-").append(id).append("\">")
                .append("<a class=\"loc\" href=\"#finding-").append(id).append("\">")
                .append(html(Text.location(f))).append("</a>\n<p>").append(html(f.description())).append("</p>\n");
        if (f.evidence() != null) {
            out.append("<pre>").append(html(f.evidence())).append("</pre>\n");
        }
        out.append("</div>\n");
    }

    private static void fileIndex(Report r, StringBuilder out) {
        Map<String, StringBuilder> byFile = new TreeMap<>();
        for (int i = 0; i < r.findings().size(); i++) {
            Finding f = r.findings().get(i);
            if (f.file() != null) {
                int id = i + 1;
                byFile.computeIfAbsent(f.file(), k -> new StringBuilder()).append(" <a href=\"#finding-").append(id)
                        .append("\">").append(f.line() == null ? "#" + id : String.valueOf(f.line())).append("</a>");
            }
        }
        if (byFile.isEmpty()) {
            return;
        }
        out.append("<h2 id=\"files\">Findings by file</h2>\n<table>\n<tr><th>File</th><th>Lines</th></tr>\n");
        byFile.forEach((file, links) -> out.append("<tr><td class=\"loc\">").append(html(file)).append("</td><td>")
                .append(links.toString().strip()).append("</td></tr>\n"));
        out.append("</table>\n");
    }

    private static void run(Report r, StringBuilder out) {
        out.append("<h2 id=\"run\">Run: estimate and actual</h2>\n<table>\n<tr><th></th><th>Estimated</th><th>Actual</th></tr>\n");
        for (RunComparison.Row row : RunComparison.rows(r)) {
            out.append("<tr><th>").append(html(row.name())).append("</th><td>").append(html(row.estimated()))
                    .append("</td><td>").append(html(row.actual())).append("</td></tr>\n");
        }
        out.append("</table>\n");
    }

    private static void inventory(Inventory inv, StringBuilder out) {
        out.append("<h2 id=\"inventory\">Inventory</h2>\n<p>").append(inv.totalFiles()).append(" files, ")
                .append(inv.totalLines()).append(" lines. ").append(inv.testFiles()).append(" test files for ")
                .append(inv.sourceFiles()).append(" source files; ")
                .append(String.format(Locale.ROOT, "%.2f", inv.testToSourceRatio()))
                .append(" test lines per source line.</p>\n");
        if (!inv.languages().isEmpty()) {
            out.append("<table>\n<tr><th>Language</th><th>Files</th><th>Lines</th></tr>\n");
            for (Inventory.LanguageStats l : inv.languages()) {
                out.append("<tr><td>").append(html(l.language())).append("</td><td>").append(l.files())
                        .append("</td><td>").append(l.lines()).append("</td></tr>\n");
            }
            out.append("</table>\n");
        }
        for (Inventory.BuildManifest m : inv.manifests()) {
            out.append("<details><summary><span class=\"loc\">").append(html(m.path())).append("</span> (")
                    .append(html(m.kind())).append(", ").append(m.dependencies().size()).append(" dependencies")
                    .append(m.problem() == null ? "" : "; " + html(m.problem())).append(")</summary>\n<pre>")
                    .append(html(String.join("\n", m.dependencies()))).append("</pre></details>\n");
        }
    }

    private static void row(StringBuilder out, String name, String value) {
        out.append("<tr><th>").append(html(name)).append("</th><td>").append(html(value)).append("</td></tr>\n");
    }

    private static String cssClass(Severity s) {
        return s.name().toLowerCase(Locale.ROOT);
    }
}
