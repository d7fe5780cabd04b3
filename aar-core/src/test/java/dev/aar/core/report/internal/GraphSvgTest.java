package dev.aar.core.report.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.analysis.ModuleGraph;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class GraphSvgTest {

    private static final Pattern NODE = Pattern.compile("<title>([^:<]+): \\d+ files, \\d+ lines</title><rect x=\"(\\d+)\" y=\"(\\d+)\"");
    private static final Pattern EDGE = Pattern.compile("<g class=\"(edge(?: cycle)?)\"><path d=\"M(\\d+),(\\d+) C[^\"]* (\\d+),(\\d+)\"");

    @Test
    void aCycleIsLaidOutWithOneEdgeGoingBackUpAndTheRestDown() {
        ModuleGraph g = new ModuleGraph(
                List.of(new ModuleGraph.Node("a", 1, 10), new ModuleGraph.Node("b", 1, 10), new ModuleGraph.Node("c", 1, 10),
                        new ModuleGraph.Node("d", 1, 10)),
                List.of(new ModuleGraph.Edge("a", "b", 1, true), new ModuleGraph.Edge("b", "c", 1, true),
                        new ModuleGraph.Edge("c", "a", 1, true), new ModuleGraph.Edge("d", "a", 1, false)),
                List.of(List.of("a", "b", "c")), List.of());
        String svg = GraphSvg.render(g);

        Map<String, Integer> y = new HashMap<>();
        Matcher n = NODE.matcher(svg);
        while (n.find()) {
            y.put(n.group(1), Integer.parseInt(n.group(3)));
        }
        assertThat(y).hasSize(4);
        // the depth-first search from "a" sets c -> a aside: a above b above c; d depends on a so sits above it
        assertThat(y.get("d")).isLessThan(y.get("a"));
        assertThat(y.get("a")).isLessThan(y.get("b"));
        assertThat(y.get("b")).isLessThan(y.get("c"));

        int up = 0;
        int down = 0;
        Matcher e = EDGE.matcher(svg);
        while (e.find()) {
            int y1 = Integer.parseInt(e.group(3));
            int y2 = Integer.parseInt(e.group(5));
            if (y2 < y1) {
                up++;
                assertThat(e.group(1)).isEqualTo("edge cycle");
            } else {
                down++;
            }
        }
        assertThat(up).isEqualTo(1);
        assertThat(down).isEqualTo(3);
        assertThat(svg).doesNotContain("<script", "url(", "http");
    }

    @Test
    void anEdgeThatBreaksALayeringRuleIsDashedAndNamesTheRuleWhileNodesLinkWhereAsked() {
        String rule = "..domain.. must not depend on ..infra..";
        ModuleGraph g = new ModuleGraph(
                List.of(new ModuleGraph.Node("shop.domain", 1, 10), new ModuleGraph.Node("shop.infra", 1, 10),
                        new ModuleGraph.Node("shop.web", 1, 10)),
                List.of(new ModuleGraph.Edge("shop.domain", "shop.infra", 2, false, rule),
                        new ModuleGraph.Edge("shop.web", "shop.domain", 1, false),
                        new ModuleGraph.Edge("shop.web", "shop.infra", 1, false, "<b>\"x\"</b>")),
                List.of(), List.of());

        String svg = GraphSvg.render(g, "Inside <shop>", Map.of("shop.web", "module-graph-0"));

        assertThat(svg).contains("<title>Inside &lt;shop&gt;</title>");
        assertThat(svg.split("<g class=\"edge violation\">", -1)).hasSize(3);
        assertThat(svg.split("<g class=\"edge\">", -1)).hasSize(2);
        assertThat(svg).contains("<title>shop.domain \u2192 shop.infra: 2 imports; breaks the layering rule &#39;"
                + rule + "&#39;</title>");
        assertThat(svg).contains("stroke=\"" + GraphSvg.VIOLATION + "\" stroke-width=\"1\" stroke-dasharray=\""
                + GraphSvg.VIOLATION_DASH + "\"");
        // a rule read back from a stored report is text like any other: escaped
        assertThat(svg).contains("breaks the layering rule &#39;&lt;b&gt;&quot;x&quot;&lt;/b&gt;&#39;").doesNotContain("<b>");
        // marked edges are drawn after the plain ones, over them
        assertThat(svg.indexOf("<g class=\"edge\">")).isLessThan(svg.indexOf("<g class=\"edge violation\">"));
        assertThat(svg).contains("<a href=\"#module-graph-0\"><g class=\"node\"><title>shop.web:");
        assertThat(svg.split("<a href=", -1)).hasSize(2);
        assertThat(GraphSvg.render(g, "Inside <shop>", Map.of("shop.web", "module-graph-0"))).isEqualTo(svg);
    }

    @Test
    void anEdgeInACycleThatAlsoBreaksARuleIsDrawnAsAViolationAndSaysBoth() {
        ModuleGraph g = new ModuleGraph(List.of(new ModuleGraph.Node("a", 1, 1), new ModuleGraph.Node("b", 1, 1)),
                List.of(new ModuleGraph.Edge("a", "b", 1, true, "a must not depend on b"),
                        new ModuleGraph.Edge("b", "a", 1, true)),
                List.of(List.of("a", "b")), List.of());
        String svg = GraphSvg.render(g);
        assertThat(svg).contains("<g class=\"edge cycle violation\"><path", "<g class=\"edge cycle\"><path",
                "stroke=\"" + GraphSvg.VIOLATION + "\" stroke-width=\"1\" stroke-dasharray=\"",
                ": 1 import (cycle); breaks the layering rule &#39;a must not depend on b&#39;</title>");
    }

    @Test
    void aWideLayerWrapsManyEdgesAreSeeThroughAndHeavyEdgesAreThicker() {
        // one module importing 100 others: a bottom layer of 100 boxes, 100 edges
        List<ModuleGraph.Node> nodes = new java.util.ArrayList<>();
        List<ModuleGraph.Edge> edges = new java.util.ArrayList<>();
        nodes.add(new ModuleGraph.Node("root", 1, 10));
        for (int i = 0; i < 100; i++) {
            String n = String.format("leaf.module%03d", i);
            nodes.add(new ModuleGraph.Node(n, 1, 10));
            edges.add(new ModuleGraph.Edge("root", n, i == 0 ? 64 : 1, false));
        }
        String svg = GraphSvg.render(new ModuleGraph(nodes, edges, List.of(), List.of()));

        Matcher size = Pattern.compile("<svg class=\"module-graph\" role=\"img\" width=\"(\\d+)\" height=\"(\\d+)\"").matcher(svg);
        assertThat(size.find()).isTrue();
        assertThat(Integer.parseInt(size.group(1))).isLessThanOrEqualTo(1400 + 2 * 20);
        Map<Integer, Integer> perRow = new HashMap<>();
        Matcher n = NODE.matcher(svg);
        while (n.find()) {
            perRow.merge(Integer.parseInt(n.group(3)), 1, Integer::sum);
        }
        assertThat(perRow.size()).isGreaterThan(3); // the root's row and the leaves on several
        assertThat(perRow.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(101);
        assertThat(svg).contains("<g class=\"edges\" stroke-opacity=\"0.60\" fill-opacity=\"0.60\">");
        assertThat(svg).contains("stroke-width=\"4\"/>").contains("stroke-width=\"1\"/>");
    }

    @Test
    void longNamesKeepTheirEndAndAreNeverSplitInsideACharacter() {
        assertThat(Text.tail("short", 28)).isEqualTo("short");
        String longName = "com.example.very.long.package.name.that.goes.on";
        assertThat(Text.tail(longName, 20)).hasSize(20).startsWith("\u2026").endsWith("goes.on");
        String emoji = "x".repeat(10) + "\uD83D\uDE00" + "y".repeat(8); // the pair at 10..11
        assertThat(Text.tail(emoji, 10)).isEqualTo("\u2026" + "y".repeat(8));
    }
}
