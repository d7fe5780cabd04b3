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
 * dependency that is not part of a cycle points down, nodes sized by lines, cycle edges in red.
 *
 * <p>The layout is hand-written rather than Eclipse ELK's layered algorithm
 * ({@code org.eclipse.elk:org.eclipse.elk.alg.layered} does resolve from Maven Central): ELK brings
 * EMF, Xtext's xbase library and Guava, about 10 MB of dependencies for one picture of at most a
 * few dozen nodes, and its output would have to be checked for byte-for-byte determinism release by
 * release. The steps are the classic Sugiyama ones, small enough to read: drop the back edges a
 * depth-first search finds, give each node its longest-path layer, order each layer by two
 * barycenter sweeps, then place. All iteration is over sorted names and all coordinates are
 * integers, so the same graph gives the same bytes.
 */
public final class GraphSvg {

    private static final int LAYER_GAP = 90;
    private static final int NODE_GAP = 16;
    private static final int MARGIN = 20;
    private static final int MIN_HEIGHT = 24;
    private static final int MAX_HEIGHT = 56;
    private static final int MAX_LABEL = 28;

    private GraphSvg() {
    }

    /** Returns the SVG element for {@code graph}, which should already be capped to a drawable size. */
    public static String render(ModuleGraph graph) {
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
        Map<String, int[]> box = new HashMap<>(); // x, y, width, height
        int width = 0;
        for (int r = 0; r < rows.size(); r++) {
            int x = MARGIN;
            for (String n : rows.get(r)) {
                int w = 16 + 7 * Math.min(MAX_LABEL + 1, label(n).length());
                // area grows with lines, so the height grows with their square root
                int h = MIN_HEIGHT + (int) Math.round((MAX_HEIGHT - MIN_HEIGHT)
                        * Math.sqrt((double) byName.get(n).lines() / maxLines));
                box.put(n, new int[] {x, MARGIN + r * LAYER_GAP + (MAX_HEIGHT - h) / 2, w, h});
                x += w + NODE_GAP;
            }
            width = Math.max(width, x - NODE_GAP + MARGIN);
        }
        int height = MARGIN * 2 + Math.max(0, rows.size() - 1) * LAYER_GAP + MAX_HEIGHT;
        width = Math.max(width, 320);

        StringBuilder svg = new StringBuilder(4096 + graph.edges().size() * 160 + names.size() * 240);
        svg.append("<svg class=\"module-graph\" role=\"img\" width=\"")
                .append(width).append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width)
                .append(' ').append(height).append("\" font-family=\"system-ui,sans-serif\" font-size=\"12\">\n")
                .append("<title>Module dependency graph</title>\n");
        for (ModuleGraph.Edge e : graph.edges()) {
            int[] a = box.get(e.from());
            int[] b = box.get(e.to());
            if (a == null || b == null) {
                continue;
            }
            int x1 = a[0] + a[2] / 2;
            int x2 = b[0] + b[2] / 2;
            boolean down = b[1] > a[1];
            int y1 = down ? a[1] + a[3] : a[1];
            int y2 = down ? b[1] : b[1] + b[3];
            if (a[1] == b[1]) { // same layer (only cycle edges): arc above the row
                y1 = a[1];
                y2 = b[1];
            }
            int bend = a[1] == b[1] ? -40 : (y2 - y1) / 2;
            String cls = e.cycle() ? "edge cycle" : "edge";
            String colour = e.cycle() ? "#cf222e" : "#8c959f";
            int stroke = 1 + Math.min(3, 31 - Integer.numberOfLeadingZeros(Math.max(1, e.imports())) / 2);
            int c2y = y2 - (a[1] == b[1] ? 40 : bend);
            svg.append("<g class=\"").append(cls).append("\"><path d=\"M").append(x1).append(',').append(y1)
                    .append(" C").append(x1).append(',').append(y1 + bend).append(' ').append(x2).append(',')
                    .append(c2y).append(' ').append(x2).append(',').append(y2)
                    .append("\" fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"").append(stroke)
                    .append("\"/>");
            arrowHead(svg, x2, y2, x2 - x2, y2 - c2y, colour);
            svg.append("<title>").append(html(e.from() + " \u2192 " + e.to() + ": " + e.imports()
                            + (e.imports() == 1 ? " import" : " imports") + (e.cycle() ? " (cycle)" : "")))
                    .append("</title></g>\n");
        }
        Set<String> inCycle = new HashSet<>();
        graph.cycles().forEach(inCycle::addAll);
        for (String n : names) {
            int[] b = box.get(n);
            ModuleGraph.Node node = byName.get(n);
            boolean cyclic = inCycle.contains(n);
            svg.append("<g class=\"node").append(cyclic ? " cycle" : "").append("\"><title>").append(html(n))
                    .append(": ").append(node.files()).append(" files, ").append(node.lines()).append(" lines")
                    .append("</title><rect x=\"").append(b[0]).append("\" y=\"").append(b[1]).append("\" width=\"")
                    .append(b[2]).append("\" height=\"").append(b[3]).append("\" rx=\"4\" fill=\"")
                    .append(cyclic ? "#ffebe9" : "#ddf4ff").append("\" stroke=\"")
                    .append(cyclic ? "#cf222e" : "#0969da").append("\"/><text x=\"").append(b[0] + b[2] / 2)
                    .append("\" y=\"").append(b[1] + b[3] / 2 + 4).append("\" text-anchor=\"middle\">")
                    .append(html(label(n))).append("</text></g>\n");
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
