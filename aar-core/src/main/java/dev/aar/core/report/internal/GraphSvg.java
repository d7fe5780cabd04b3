package dev.aar.core.report.internal;

import static dev.aar.core.report.internal.Text.html;

import dev.aar.core.analysis.ModuleGraph;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Draws a (small, already collapsed) module graph as an inline SVG: a layered layout in which every
 * dependency that is not part of a cycle points down, nodes sized by lines, cycle edges in red,
 * edges that break a layering rule purple and dashed (in a cycle or not) with the rule in their
 * tooltip.
 *
 * <p>The layout is hand-written rather than Eclipse ELK's layered algorithm
 * ({@code org.eclipse.elk:org.eclipse.elk.alg.layered} does resolve from Maven Central): ELK brings
 * EMF, Xtext's xbase library and Guava, about 10 MB of dependencies for one picture of at most a
 * few dozen nodes, and its output would have to be checked for byte-for-byte determinism release by
 * release. The steps are the classic Sugiyama ones, small enough to read: drop the back edges a
 * depth-first search finds, give each node its longest-path layer, order each layer by two
 * barycenter sweeps, then place: rows centred, a layer wider than 1,400 px
 * wrapped onto more rows, the edges of a dense graph see-through. All iteration is over sorted
 * names and all coordinates are integers, so the same graph gives the same bytes.
 */
public final class GraphSvg {

    private static final int LAYER_GAP = 90;
    private static final int NODE_GAP = 16;
    private static final int MARGIN = 20;
    private static final int MIN_HEIGHT = 24;
    private static final int MAX_HEIGHT = 56;
    private static final int MAX_LABEL = 28;
    /** Widest row of boxes before a layer wraps: a little over the report's 72rem column. */
    private static final int MAX_ROW_WIDTH = 1400;
    /** Colour of other dependencies, also used by the page's legend. */
    public static final String PLAIN = "#8c959f";
    /** Colour of dependencies in a cycle, also used by the page's legend. */
    public static final String CYCLE = "#cf222e";
    /** Colour of dependencies that break a layering rule, also used by the page's legend. */
    public static final String VIOLATION = "#8250df";
    /** Dash pattern of dependencies that break a layering rule, also used by the page's legend. */
    public static final String VIOLATION_DASH = "6 3";

    private GraphSvg() {
    }

    /** Returns the SVG element for {@code graph}, which should already be capped to a drawable size. */
    public static String render(ModuleGraph graph) {
        return render(graph, "Module dependency graph", Map.of());
    }

    /**
     * Returns the SVG element for {@code graph}, which should already be capped to a drawable size.
     *
     * @param title the picture's accessible title
     * @param links node name to the id of an element on the same page the node's box links to
     */
    public static String render(ModuleGraph graph, String title, Map<String, String> links) {
        List<String> names = new ArrayList<>();
        Map<String, ModuleGraph.Node> byName = new TreeMap<>();
        for (ModuleGraph.Node n : graph.nodes()) {
            byName.put(n.name(), n);
        }
        names.addAll(byName.keySet());
        Map<String, List<String>> out = new TreeMap<>();
        for (String n : names) {
            out.put(n, new ArrayList<>());
        }
        for (ModuleGraph.Edge e : graph.edges()) {
            if (out.containsKey(e.from()) && out.containsKey(e.to())) {
                out.get(e.from()).add(e.to());
            }
        }
        out.values().forEach(l -> l.sort(Comparator.naturalOrder()));
        Set<String> back = backEdges(names, out);

        // longest-path layering over the acyclic rest: a module sits one layer above its deepest dependency
        Map<String, Integer> layer = new HashMap<>();
        for (String n : names) {
            layerOf(n, out, back, layer);
        }
        int layers = 0;
        for (int l : layer.values()) {
            layers = Math.max(layers, l + 1);
        }
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            rows.add(new ArrayList<>());
        }
        for (String n : names) {
            rows.get(layers - 1 - layer.get(n)).add(n); // row 0 at the top: the modules nothing lower depends on
        }
        Map<String, List<String>> in = new HashMap<>();
        out.forEach((from, tos) -> tos.forEach(to -> in.computeIfAbsent(to, k -> new ArrayList<>()).add(from)));
        for (int sweep = 0; sweep < 2; sweep++) {
            for (int r = 1; r < rows.size(); r++) {
                order(rows.get(r), rows.get(r - 1), in);
            }
            for (int r = rows.size() - 2; r >= 0; r--) {
                order(rows.get(r), rows.get(r + 1), out);
            }
        }

        long maxLines = 1;
        for (ModuleGraph.Node n : graph.nodes()) {
            maxLines = Math.max(maxLines, n.lines());
        }
        // a layer wider than the page column wraps onto more rows, in its order (the sinks at the
        // bottom of a big graph are often dozens of modules side by side)
        List<List<String>> wrapped = new ArrayList<>();
        for (List<String> row : rows) {
            List<String> line = new ArrayList<>();
            int used = 0;
            for (String n : row) {
                if (!line.isEmpty() && used + NODE_GAP + boxWidth(n) > MAX_ROW_WIDTH) {
                    wrapped.add(line);
                    line = new ArrayList<>();
                    used = 0;
                }
                used += (line.isEmpty() ? 0 : NODE_GAP) + boxWidth(n);
                line.add(n);
            }
            wrapped.add(line);
        }
        rows = wrapped;
        Map<String, int[]> box = new HashMap<>(); // x, y, width, height, row
        int[] rowWidth = new int[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            for (String n : rows.get(r)) {
                rowWidth[r] += boxWidth(n) + NODE_GAP;
            }
            rowWidth[r] -= NODE_GAP;
        }
        int width = 320;
        for (int w : rowWidth) {
            width = Math.max(width, w + 2 * MARGIN);
        }
        for (int r = 0; r < rows.size(); r++) {
            // each row centred, so the edges of a narrow row fan out to the middle of a wide one, not its left end
            int x = (width - rowWidth[r]) / 2;
            for (String n : rows.get(r)) {
                int w = boxWidth(n);
                // area grows with lines, so the height grows with their square root
                int h = MIN_HEIGHT + (int) Math.round((MAX_HEIGHT - MIN_HEIGHT)
                        * Math.sqrt((double) byName.get(n).lines() / maxLines));
                box.put(n, new int[] {x, MARGIN + r * LAYER_GAP + (MAX_HEIGHT - h) / 2, w, h, r});
                x += w + NODE_GAP;
            }
        }
        int height = MARGIN * 2 + Math.max(0, rows.size() - 1) * LAYER_GAP + MAX_HEIGHT;

        StringBuilder svg = new StringBuilder(4096 + graph.edges().size() * 160 + names.size() * 240);
        svg.append("<svg class=\"module-graph\" role=\"img\" width=\"")
                .append(width).append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width)
                .append(' ').append(height).append("\" font-family=\"system-ui,sans-serif\" font-size=\"12\">\n")
                .append("<title>").append(html(title)).append("</title>\n");
        // marked edges last, so they are drawn over the plain ones they cross
        List<ModuleGraph.Edge> edges = new ArrayList<>(graph.edges());
        edges.sort(Comparator.comparingInt(e -> (e.cycle() ? 1 : 0) + (e.violates() != null ? 2 : 0))); // stable
        // many edges are drawn see-through, so where they bundle the picture darkens instead of
        // turning into one solid block; the marked ones stay opaque
        String opacity = edges.size() <= 60 ? null
                : String.format(java.util.Locale.ROOT, "%.2f", Math.max(0.3, 60.0 / edges.size()));
        if (opacity != null) {
            svg.append("<g class=\"edges\" stroke-opacity=\"").append(opacity).append("\" fill-opacity=\"")
                    .append(opacity).append("\">\n");
        }
        for (ModuleGraph.Edge e : edges) {
            int[] a = box.get(e.from());
            int[] b = box.get(e.to());
            if (a == null || b == null) {
                continue;
            }
            int x1 = a[0] + a[2] / 2;
            int x2 = b[0] + b[2] / 2;
            boolean sameRow = a[4] == b[4];
            boolean down = b[4] > a[4];
            int y1 = down ? a[1] + a[3] : a[1];
            int y2 = down ? b[1] : b[1] + b[3];
            if (sameRow) { // only cycle edges: an arc above the row
                y1 = a[1];
                y2 = b[1];
            }
            int bend = sameRow ? -40 : (y2 - y1) / 2;
            boolean violation = e.violates() != null;
            String cls = "edge" + (e.cycle() ? " cycle" : "") + (violation ? " violation" : "");
            // a broken rule is the more specific news: it wins over the cycle colour (the tooltip names both)
            String colour = violation ? VIOLATION : e.cycle() ? CYCLE : PLAIN;
            // 1 px for 1-3 imports, one more per factor of 4, at most 4 px
            int stroke = 1 + Math.min(3, (31 - Integer.numberOfLeadingZeros(Math.max(1, e.imports()))) / 2);
            int c2y = y2 - (sameRow ? 40 : bend);
            svg.append("<g class=\"").append(cls)
                    .append(violation && opacity != null ? "\" stroke-opacity=\"1\" fill-opacity=\"1" : "")
                    .append("\"><path d=\"M").append(x1).append(',').append(y1)
                    .append(" C").append(x1).append(',').append(y1 + bend).append(' ').append(x2).append(',')
                    .append(c2y).append(' ').append(x2).append(',').append(y2)
                    .append("\" fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"").append(stroke)
                    .append(violation ? "\" stroke-dasharray=\"" + VIOLATION_DASH : "").append("\"/>");
            arrowHead(svg, x2, y2, x2 - x2, y2 - c2y, colour);
            svg.append("<title>").append(html(e.from() + " \u2192 " + e.to() + ": " + e.imports()
                            + (e.imports() == 1 ? " import" : " imports") + (e.cycle() ? " (cycle)" : "")
                            + (violation ? "; breaks the layering rule '" + e.violates() + "'" : "")))
                    .append("</title></g>\n");
        }
        if (opacity != null) {
            svg.append("</g>\n");
        }
        Set<String> inCycle = new HashSet<>();
        graph.cycles().forEach(inCycle::addAll);
        for (String n : names) {
            int[] b = box.get(n);
            ModuleGraph.Node node = byName.get(n);
            boolean cyclic = inCycle.contains(n);
            String link = links.get(n);
            if (link != null) {
                svg.append("<a href=\"#").append(html(link)).append("\">");
            }
            svg.append("<g class=\"node").append(cyclic ? " cycle" : "").append("\"><title>").append(html(n))
                    .append(": ").append(node.files()).append(" files, ").append(node.lines()).append(" lines")
                    .append("</title><rect x=\"").append(b[0]).append("\" y=\"").append(b[1]).append("\" width=\"")
                    .append(b[2]).append("\" height=\"").append(b[3]).append("\" rx=\"4\" fill=\"")
                    .append(cyclic ? "#ffebe9" : "#ddf4ff").append("\" stroke=\"")
                    .append(cyclic ? CYCLE : "#0969da").append("\"/><text x=\"").append(b[0] + b[2] / 2)
                    .append("\" y=\"").append(b[1] + b[3] / 2 + 4).append("\" text-anchor=\"middle\">")
                    .append(html(label(n))).append("</text></g>").append(link != null ? "</a>\n" : "\n");
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /**
     * Draws an arrowhead ending at the tip, pointing along (dx, dy). A polygon rather than an SVG
     * marker: markers are referenced with {@code url(#id)}, which a copy of the SVG on a page with
     * another element of that id would pick up wrongly.
     */
    private static void arrowHead(StringBuilder svg, int x, int y, int dx, int dy, String colour) {
        double length = Math.sqrt((double) dx * dx + (double) dy * dy);
        double ux = length == 0 ? 0 : dx / length;
        double uy = length == 0 ? 1 : dy / length;
        long bx = Math.round(x - 8 * ux);
        long by = Math.round(y - 8 * uy);
        svg.append("<path d=\"M").append(x).append(',').append(y).append(" L").append(Math.round(bx - 4 * uy))
                .append(',').append(Math.round(by + 4 * ux)).append(" L").append(Math.round(bx + 4 * uy)).append(',')
                .append(Math.round(by - 4 * ux)).append("z\" fill=\"").append(colour).append("\"/>");
    }

    private static int boxWidth(String name) {
        return 16 + 7 * Math.min(MAX_LABEL + 1, label(name).length());
    }

    /** The shown name: long names keep their end, which is the distinctive part of a dotted name. */
    static String label(String name) {
        return Text.tail(name, MAX_LABEL);
    }

    /** Edges ("from\0to") that close a cycle in a depth-first search over sorted names. */
    private static Set<String> backEdges(List<String> names, Map<String, List<String>> out) {
        Set<String> back = new HashSet<>();
        Map<String, Integer> state = new HashMap<>(); // 1 on the stack, 2 done
        for (String root : names) {
            if (state.containsKey(root)) {
                continue;
            }
            // iterative: frames of node and next successor index
            List<String> nodes = new ArrayList<>();
            List<Integer> next = new ArrayList<>();
            nodes.add(root);
            next.add(0);
            state.put(root, 1);
            while (!nodes.isEmpty()) {
                int top = nodes.size() - 1;
                String v = nodes.get(top);
                List<String> succ = out.get(v);
                int i = next.get(top);
                if (i < succ.size()) {
                    next.set(top, i + 1);
                    String w = succ.get(i);
                    Integer s = state.get(w);
                    if (s == null) {
                        state.put(w, 1);
                        nodes.add(w);
                        next.add(0);
                    } else if (s == 1) {
                        back.add(v + '\0' + w);
                    }
                } else {
                    state.put(v, 2);
                    nodes.remove(top);
                    next.remove(top);
                }
            }
        }
        return back;
    }

    private static int layerOf(String n, Map<String, List<String>> out, Set<String> back, Map<String, Integer> layer) {
        Integer known = layer.get(n);
        if (known != null) {
            return known;
        }
        int l = 0; // recursion depth is bounded by the node cap of the drawn graph
        for (String to : out.get(n)) {
            if (!back.contains(n + '\0' + to)) {
                l = Math.max(l, layerOf(to, out, back, layer) + 1);
            }
        }
        layer.put(n, l);
        return l;
    }

    /** Sorts {@code row} by the mean position of each node's neighbours in {@code fixed}; ties keep their order. */
    private static void order(List<String> row, List<String> fixed, Map<String, List<String>> neighbours) {
        Map<String, Integer> pos = new HashMap<>();
        for (int i = 0; i < fixed.size(); i++) {
            pos.put(fixed.get(i), i);
        }
        Map<String, Double> key = new HashMap<>();
        for (int i = 0; i < row.size(); i++) {
            String n = row.get(i);
            double sum = 0;
            int count = 0;
            for (String m : neighbours.getOrDefault(n, List.of())) {
                Integer p = pos.get(m);
                if (p != null) {
                    sum += p;
                    count++;
                }
            }
            key.put(n, count == 0 ? i : sum / count);
        }
        row.sort(Comparator.comparingDouble(key::get)); // List.sort is stable
    }
}
