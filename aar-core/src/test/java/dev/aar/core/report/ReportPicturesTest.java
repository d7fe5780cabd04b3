package dev.aar.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.analysis.ModuleGraph;
import dev.aar.core.event.Finding;
import dev.aar.core.event.Severity;
import dev.aar.core.report.internal.GraphSvg;
import dev.aar.core.report.internal.HtmlReport;
import dev.aar.core.report.internal.MarkdownReport;
import dev.aar.core.report.internal.ReportJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ReportPicturesTest {

    private static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");

    /** a -> b -> c -> a, and d -> a outside the cycle. */
    private static ModuleGraph planted() {
        return new ModuleGraph(
                List.of(new ModuleGraph.Node("com.acme.a", 2, 120), new ModuleGraph.Node("com.acme.b", 1, 40),
                        new ModuleGraph.Node("com.acme.c", 3, 900), new ModuleGraph.Node("com.acme.d", 1, 10)),
                List.of(new ModuleGraph.Edge("com.acme.a", "com.acme.b", 1, true),
                        new ModuleGraph.Edge("com.acme.b", "com.acme.c", 4, true),
                        new ModuleGraph.Edge("com.acme.c", "com.acme.a", 1, true),
                        new ModuleGraph.Edge("com.acme.d", "com.acme.a", 2, false)),
                List.of(List.of("com.acme.a", "com.acme.b", "com.acme.c")),
                List.of(new ModuleGraph.FileSize("src/main/java/com/acme/c/C.java", "com.acme.c", 800),
                        new ModuleGraph.FileSize("src/main/java/com/acme/a/A.java", "com.acme.a", 100)));
    }

    private static Report report(ModuleGraph graph) {
        return Report.builder("r1", "p1", "job-1").createdAt(AT).moduleGraph(graph)
                .findings(List.of(
                        new Finding(Severity.MEDIUM, "dependency-cycle", "a -> b -> c -> a",
                                "src/main/java/com/acme/a/A.java", 3, null),
                        new Finding(Severity.HIGH, "hotspot-large-file", "big", "src/main/java/com/acme/c/C.java", 1, null),
                        new Finding(Severity.LOW, "x", "y", "src/main/java/com/acme/c/C.java", 5, null),
                        new Finding(Severity.INFO, "inventory-languages", "1 language", null, null, null)))
                .build();
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void theGraphRoundTripsThroughJsonWithItsCycleEdgesMarked() {
        Report r = report(planted());
        byte[] json = ReportJson.write(r);
        assertThat(ReportJson.read(json)).isEqualTo(r);
        String text = new String(json, StandardCharsets.UTF_8);
        assertThat(text).contains("\"moduleGraph\"", "\"nodes\"", "\"edges\"", "\"cycles\"", "\"largestFiles\"");
        assertThat(count(text, "\"cycle\" : true")).isEqualTo(3);
        assertThat(count(text, "\"cycle\" : false")).isEqualTo(1);
    }

    @Test
    void aReportWrittenBeforeTheGraphStillLoadsAndRendersWithoutIt() {
        String old = new String(ReportJson.write(report(null)), StandardCharsets.UTF_8);
        assertThat(old).doesNotContain("moduleGraph");
        Report read = ReportJson.read(old.getBytes(StandardCharsets.UTF_8));
        assertThat(read.moduleGraph()).isNull();
        assertThat(HtmlReport.render(read)).doesNotContain("<svg").doesNotContain("id=\"architecture\"");
        assertThat(MarkdownReport.render(read)).doesNotContain("```mermaid");
    }

    @Test
    void theHtmlDrawsTheThreeCycleEdgesWithTheCycleClassAndALegend() {
        String html = HtmlReport.render(report(planted()));
        assertThat(html).contains("id=\"module-graph\"", "dependency in a cycle", "4 modules, 4 dependencies, 1 cycle.");
        assertThat(count(html, "<g class=\"edge cycle\">")).isEqualTo(3);
        assertThat(count(html, "<g class=\"edge\">")).isEqualTo(1);
        assertThat(html).contains("<title>com.acme.a \u2192 com.acme.b: 1 import (cycle)</title>");
        assertThat(html).contains("<title>com.acme.d \u2192 com.acme.a: 2 imports</title>");
        assertThat(count(html, "<g class=\"node cycle\">")).isEqualTo(3);
        assertThat(html).contains("id=\"findings-by-module\"", "id=\"hotspots\"");
        // still self-contained and within the page's policy: no scripts, no remote or referenced resources
        assertThat(html).doesNotContainPattern("(?i)<script|<link|src=\"|href=\"http|https?://|@import|url\\(|<image|<use");
    }

    @Test
    void dependenciesOutsideCyclesPointDown() {
        // a chain d -> c -> b -> a: each module sits above the one it depends on
        List<ModuleGraph.Node> nodes = new ArrayList<>();
        for (String n : List.of("a", "b", "c", "d")) {
            nodes.add(new ModuleGraph.Node(n, 1, 10));
        }
        ModuleGraph chain = new ModuleGraph(nodes, List.of(new ModuleGraph.Edge("b", "a", 1, false),
                new ModuleGraph.Edge("c", "b", 1, false), new ModuleGraph.Edge("d", "c", 1, false)), List.of(), List.of());
        String html = HtmlReport.render(report(chain));
        Matcher m = Pattern.compile("<title>(\\w): 1 files, 10 lines</title><rect x=\"\\d+\" y=\"(\\d+)\"").matcher(html);
        java.util.Map<String, Integer> y = new java.util.HashMap<>();
        while (m.find()) {
            y.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        assertThat(y.get("d")).isLessThan(y.get("c"));
        assertThat(y.get("c")).isLessThan(y.get("b"));
        assertThat(y.get("b")).isLessThan(y.get("a"));
    }

    @Test
    void theSameInputGivesTheSameBytes() {
        ModuleGraph big = synthetic(300);
        assertThat(HtmlReport.render(report(planted()))).isEqualTo(HtmlReport.render(report(planted())));
        assertThat(HtmlReport.render(report(big))).isEqualTo(HtmlReport.render(report(synthetic(300))));
        assertThat(MarkdownReport.render(report(big))).isEqualTo(MarkdownReport.render(report(synthetic(300))));
    }

    @Test
    void hostileModuleNamesAreEscapedInTheSvgAndInMermaid() {
        String evil = "x\"><script>alert(1)</script>";
        String mermaid = "a\"]-->b[\"pwn\"];click a call alert()%%\n```";
        ModuleGraph g = new ModuleGraph(List.of(new ModuleGraph.Node(evil, 1, 5), new ModuleGraph.Node(mermaid, 1, 5)),
                List.of(new ModuleGraph.Edge(evil, mermaid, 1, true), new ModuleGraph.Edge(mermaid, evil, 1, true)),
                List.of(List.of(evil, mermaid)),
                List.of(new ModuleGraph.FileSize("<img src=x onerror=alert(1)>.java", evil, 9)));

        String html = HtmlReport.render(report(g));
        assertThat(html).doesNotContain("<script").doesNotContain("<img").doesNotContain("x\"><");
        assertThat(html).contains("x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;");

        String md = MarkdownReport.render(report(g));
        String block = md.substring(md.indexOf("```mermaid\n") + 11, md.indexOf("\n```\n", md.indexOf("```mermaid")));
        assertThat(block).doesNotContain("<script", "```", "%%", "\n  click");
        assertThat(block).contains("m0[\"x#34;#62;#60;script#62;alert#40;1#41;#60;/script#62;\"]");
        // every line of the block is a statement the renderer wrote: a node, an edge, or the link style
        for (String line : block.split("\n")) {
            assertThat(line).matches("graph TD|  m\\d+\\[\"[^\"\\n]*\"\\]|  m\\d+ (-->|-\\.->) m\\d+|  linkStyle [\\d,]+ .*");
        }
        assertThat(block).contains("linkStyle 0,1 stroke:#cf222e");
    }

    @Test
    void aPlantedLayeringViolationIsDashedWithALegendAndCarriedInTheJson() {
        String rule = "com.acme.d must not depend on com.acme.a";
        List<ModuleGraph.Edge> edges = new ArrayList<>(planted().edges());
        edges.set(3, new ModuleGraph.Edge("com.acme.d", "com.acme.a", 2, false, rule));
        ModuleGraph g = new ModuleGraph(planted().nodes(), edges, planted().cycles(), planted().largestFiles());
        Report r = report(g);

        String html = HtmlReport.render(r);
        assertThat(html).contains("1 dependency breaks a layering rule", "<line x1=\"0\" y1=\"5\" x2=\"30\" y2=\"5\" stroke=\"" + GraphSvg.VIOLATION + "\"",
                "stroke-dasharray=\"" + GraphSvg.VIOLATION_DASH + "\"/></svg>",
                "<title>com.acme.d \u2192 com.acme.a: 2 imports; breaks the layering rule &#39;" + rule + "&#39;</title>");
        assertThat(count(html, "<g class=\"edge violation\">")).isEqualTo(1);
        assertThat(count(html, "<g class=\"edge cycle\">")).isEqualTo(3);
        // without violations there is no legend line for them
        assertThat(HtmlReport.render(report(planted()))).doesNotContain("layering rule");

        String json = new String(ReportJson.write(r), StandardCharsets.UTF_8);
        assertThat(count(json, "\"violates\" : \"" + rule + "\"")).isEqualTo(1);
        assertThat(count(json, "\"violates\"")).isEqualTo(1); // absent where no rule is broken
        assertThat(ReportJson.read(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(r);

        String md = MarkdownReport.render(r);
        assertThat(md).contains("dotted arrows break a layering rule", "  m3 -.-> m0\n", "  linkStyle 3 stroke:#8250df");
    }

    @Test
    void aBigProjectGetsAnOverviewAndOneLinkedGraphPerGroupEachCappedAndTheSameBytesEachTime() {
        ModuleGraph big = synthetic(2000); // 40 groups org.g0..org.g39 of 50 modules each
        String html = HtmlReport.render(report(big));

        String overview = html.substring(html.indexOf("id=\"module-graph\""), html.indexOf("id=\"module-graphs-inside\""));
        assertThat(count(overview, "<g class=\"node")).isEqualTo(40);
        assertThat(count(overview, "<a href=\"#module-graph-")).isEqualTo(40);
        for (int i = 0; i < 40; i++) {
            assertThat(count(html, "<h4 id=\"module-graph-" + i + "\">")).isEqualTo(1);
        }
        assertThat(html).contains("<h4 id=\"module-graph-0\">org.g0</h4>", "<title>Modules inside org.g39</title>",
                "50 modules, 49 dependencies, 0 cycles inside.", "10 more modules not drawn.");
        // every group's own graph is capped: 40 group graphs of at most 40 nodes, after the overview's 40
        String inside = html.substring(html.indexOf("id=\"module-graphs-inside\""));
        assertThat(count(inside, "<svg class=\"module-graph\"")).isEqualTo(40);
        assertThat(count(inside, "<g class=\"node")).isEqualTo(40 * HtmlReport.DETAIL_NODES);
        assertThat(html.length()).isLessThan(5_000_000);
        assertThat(inside.length()).isLessThan(HtmlReport.DETAIL_CHARS + 10_000);
        assertThat(HtmlReport.render(report(synthetic(2000)))).isEqualTo(html);

        // a small graph needs no group graphs
        assertThat(HtmlReport.render(report(planted()))).doesNotContain("module-graphs-inside", "<a href=\"#module-graph-");
    }

    @Test
    void theGroupGraphsStopAtTheirCharacterBudgetAndNameTheRest() {
        // 60 groups of 40 modules, each module importing every other of its group: dense pictures
        List<ModuleGraph.Node> nodes = new ArrayList<>();
        List<ModuleGraph.Edge> edges = new ArrayList<>();
        for (int g = 0; g < 60; g++) {
            for (int i = 0; i < 40; i++) {
                nodes.add(new ModuleGraph.Node(String.format("p%02d.m%02d", g, i), 1, 10));
                for (int j = 0; j < 40; j++) {
                    if (i != j) {
                        edges.add(new ModuleGraph.Edge(String.format("p%02d.m%02d", g, i), String.format("p%02d.m%02d", g, j),
                                1, true));
                    }
                }
            }
        }
        String html = HtmlReport.render(report(new ModuleGraph(nodes, edges, List.of(), List.of())));
        String inside = html.substring(html.indexOf("id=\"module-graphs-inside\""));
        assertThat(inside.length()).isLessThan(HtmlReport.DETAIL_CHARS + 10_000);
        assertThat(inside).contains("Not drawn, to keep the page small: ").contains("p59.</p>");
        assertThat(html.length()).isLessThan(5_000_000);
    }

    @Test
    void hostileNamesInGroupsAreEscapedInTheGroupGraphs() {
        String evil = "<script>alert(1)</script>";
        List<ModuleGraph.Node> nodes = new ArrayList<>();
        List<ModuleGraph.Edge> edges = new ArrayList<>();
        for (int g = 0; g < 70; g++) {
            String group = "g" + g + (g == 5 ? evil : "");
            for (int i = 0; i < 3; i++) {
                nodes.add(new ModuleGraph.Node(group + ".m" + i + (i == 1 ? "\"'&" : ""), 1, 10));
            }
            edges.add(new ModuleGraph.Edge(group + ".m0", group + ".m2", 1, false, "x</title><script>"));
        }
        String html = HtmlReport.render(report(new ModuleGraph(nodes, edges, List.of(), List.of())));
        assertThat(html).contains("id=\"module-graphs-inside\"", "g5&lt;script&gt;alert(1)&lt;/script&gt;",
                "m1&quot;&#39;&amp;", "x&lt;/title&gt;&lt;script&gt;");
        assertThat(html).doesNotContain("<script", "\"'&");
        assertThat(html).doesNotContainPattern("(?i)<link|src=\"|href=\"http|https?://|@import|url\\(|<image|<use");
    }

    @Test
    void twoThousandModulesRenderUnderTheCapInBoundedSize() {
        ModuleGraph big = synthetic(2000);
        String html = HtmlReport.render(report(big));
        String overview = html.substring(html.indexOf("id=\"module-graph\""), html.indexOf("id=\"module-graphs-inside\""));
        assertThat(count(overview, "<g class=\"node")).isLessThanOrEqualTo(HtmlReport.GRAPH_NODES).isPositive();
        assertThat(html).contains("2000 modules,");
        assertThat(overview.length()).isLessThan(200_000);
        String md = MarkdownReport.render(report(big));
        assertThat(count(md, "\n  m")).isLessThan(MarkdownReport.MERMAID_NODES + 2000);
        assertThat(count(md, "[\"")).isLessThanOrEqualTo(MarkdownReport.MERMAID_NODES);

        // flat names cannot be grouped: the biggest are drawn and the rest counted
        List<ModuleGraph.Node> flat = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            flat.add(new ModuleGraph.Node("m" + i, 1, i));
        }
        String flatHtml = HtmlReport.render(report(new ModuleGraph(flat, List.of(), List.of(), List.of())));
        assertThat(count(flatHtml, "<g class=\"node")).isEqualTo(HtmlReport.GRAPH_NODES);
        assertThat(flatHtml).contains((2000 - HtmlReport.GRAPH_NODES) + " more modules not drawn.");
        assertThat(flatHtml.length()).isLessThan(200_000);
    }

    /** n modules in groups of 50 ("org.g3.m7"), chained inside a group, each group importing the next, the last closing a ring. */
    private static ModuleGraph synthetic(int n) {
        List<ModuleGraph.Node> nodes = new ArrayList<>();
        List<ModuleGraph.Edge> edges = new ArrayList<>();
        int groups = (n + 49) / 50;
        for (int i = 0; i < n; i++) {
            int g = i / 50;
            nodes.add(new ModuleGraph.Node("org.g" + g + ".m" + (i % 50), 1 + i % 7, 10L * (1 + i % 13)));
            if (i % 50 > 0) {
                edges.add(new ModuleGraph.Edge("org.g" + g + ".m" + (i % 50), "org.g" + g + ".m" + (i % 50 - 1), 1, false));
            } else {
                edges.add(new ModuleGraph.Edge("org.g" + g + ".m0", "org.g" + ((g + 1) % groups) + ".m1", 2, false));
            }
        }
        return new ModuleGraph(nodes, edges, List.of(), List.of());
    }
}
