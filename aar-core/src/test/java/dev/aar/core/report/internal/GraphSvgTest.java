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
    void longNamesKeepTheirEndAndAreNeverSplitInsideACharacter() {
        assertThat(Text.tail("short", 28)).isEqualTo("short");
        String longName = "com.example.very.long.package.name.that.goes.on";
        assertThat(Text.tail(longName, 20)).hasSize(20).startsWith("\u2026").endsWith("goes.on");
        String emoji = "x".repeat(10) + "\uD83D\uDE00" + "y".repeat(8); // the pair at 10..11
        assertThat(Text.tail(emoji, 10)).isEqualTo("\u2026" + "y".repeat(8));
    }
}
