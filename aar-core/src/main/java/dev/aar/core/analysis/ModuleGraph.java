package dev.aar.core.analysis;

import dev.aar.core.analysis.internal.Import;
import dev.aar.core.analysis.internal.ImportGraph;
import dev.aar.core.analysis.internal.ModuleCycles;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The project's module dependency graph as the report carries it, for pictures and other tools:
 * modules with their size, imports between them with how many there are, and the cycles.
 *
 * @param nodes every module, sorted by name
 * @param edges every dependency between two different modules, sorted by from then to
 * @param cycles the strongly connected components of more than one module, each sorted, ordered by first module
 * @param largestFiles the {@value #LARGEST_FILES} largest parsed files by lines, largest first (ties by path)
 */
public record ModuleGraph(List<Node> nodes, List<Edge> edges, List<List<String>> cycles, List<FileSize> largestFiles) {

    /** How many of the largest files the graph keeps for the hotspot picture. */
    public static final int LARGEST_FILES = 20;

    public ModuleGraph {
        largestFiles = largestFiles == null ? List.of() : List.copyOf(largestFiles);
        nodes = List.copyOf(Objects.requireNonNull(nodes, "nodes"));
        edges = List.copyOf(Objects.requireNonNull(edges, "edges"));
        cycles = Objects.requireNonNull(cycles, "cycles").stream().map(List::copyOf).toList();
    }

    /**
     * One module.
     *
     * @param name the module's dotted name
     * @param files parsed source files (tests excluded)
     * @param lines lines in those files
     */
    public record Node(String name, int files, long lines) {
        public Node {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * {@code from} imports {@code to}.
     *
     * @param from the importing module
     * @param to the imported module
     * @param imports how many import statements make the dependency
     * @param cycle whether both ends are in one cycle (the edge is part of a tangle)
     */
    public record Edge(String from, String to, int imports, boolean cycle) {
        public Edge {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    /**
     * One source file's size.
     *
     * @param path the file's path in the project
     * @param module the module it belongs to
     * @param lines its lines
     */
    public record FileSize(String path, String module, long lines) {
        public FileSize {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(module, "module");
        }
    }

    /**
     * A graph reduced to a node budget.
     *
     * @param graph the reduced graph
     * @param groupedBy how many leading name segments each drawn node keeps (0 when nothing was grouped)
     * @param notDrawn modules of the full graph that no drawn node stands for
     */
    public record Collapsed(ModuleGraph graph, int groupedBy, int notDrawn) {
    }

    /**
     * Returns the module graph of {@code project}, from the import graph the dependency-cycle and
     * layering analyzers already built for the same view (parsed once per view).
     */
    public static ModuleGraph of(ProjectView project) {
        ImportGraph graph = ImportGraph.of(project);
        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        for (Import i : graph.imports()) {
            if (i.internal() && !i.from().equals(i.to())) {
                counts.computeIfAbsent(i.from(), k -> new TreeMap<>()).merge(i.to(), 1, Integer::sum);
            }
        }
        List<Node> nodes = new ArrayList<>();
        for (String m : graph.modules()) {
            ImportGraph.Size size = graph.sizes().getOrDefault(m, new ImportGraph.Size(0, 0));
            nodes.add(new Node(m, size.files(), size.lines()));
        }
        List<FileSize> files = new ArrayList<>();
        for (ImportGraph.FileLines f : graph.files()) {
            files.add(new FileSize(f.file(), f.module(), f.lines()));
        }
        files.sort(Comparator.comparingLong(FileSize::lines).reversed().thenComparing(FileSize::path));
        return assemble(nodes, counts, files.subList(0, Math.min(LARGEST_FILES, files.size())));
    }

    /** Builds the graph from nodes and import counts, marking cycle edges by the components of the graph. */
    private static ModuleGraph assemble(List<Node> nodes, Map<String, Map<String, Integer>> counts,
            List<FileSize> largestFiles) {
        Set<String> names = new TreeSet<>();
        nodes.forEach(n -> names.add(n.name()));
        List<List<String>> cycles = ModuleCycles.components(names,
                m -> counts.getOrDefault(m, Map.of()).keySet());
        Map<String, Integer> component = new HashMap<>();
        for (int c = 0; c < cycles.size(); c++) {
            for (String m : cycles.get(c)) {
                component.put(m, c);
            }
        }
        List<Edge> edges = new ArrayList<>();
        counts.forEach((from, targets) -> targets.forEach((to, n) -> {
            Integer a = component.get(from);
            edges.add(new Edge(from, to, n, a != null && a.equals(component.get(to))));
        }));
        List<Node> sorted = new ArrayList<>(nodes);
        sorted.sort(Comparator.comparing(Node::name));
        return new ModuleGraph(sorted, edges, cycles, largestFiles);
    }

    /**
     * Reduces the graph to at most {@code maxNodes} nodes for drawing: modules are grouped by their
     * first name segments, with as many segments as the budget allows (the JDK's 800 packages become
     * {@code java.util}, {@code javax.swing}, ...); when even one segment gives too many groups, the
     * biggest groups by lines are kept and the rest counted in {@link Collapsed#notDrawn()}. Cycles
     * are recomputed on the reduced graph, since grouping can make new ones.
     */
    public Collapsed collapse(int maxNodes) {
        if (maxNodes < 1) {
            throw new IllegalArgumentException("maxNodes must be positive: " + maxNodes);
        }
        if (nodes.size() <= maxNodes) {
            return new Collapsed(this, 0, 0);
        }
        int deepest = 1;
        for (Node n : nodes) {
            deepest = Math.max(deepest, segments(n.name()));
        }
        int depth = 1;
        for (int d = deepest; d >= 1; d--) {
            Set<String> groups = new HashSet<>();
            for (Node n : nodes) {
                groups.add(prefix(n.name(), d));
            }
            if (groups.size() <= maxNodes) {
                depth = d;
                break;
            }
        }
        Map<String, long[]> grouped = new TreeMap<>(); // group -> files, lines, modules
        for (Node n : nodes) {
            long[] g = grouped.computeIfAbsent(prefix(n.name(), depth), k -> new long[3]);
            g[0] += n.files();
            g[1] += n.lines();
            g[2]++;
        }
        List<Map.Entry<String, long[]>> ranked = new ArrayList<>(grouped.entrySet());
        ranked.sort(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -e.getValue()[1])
                .thenComparing(Map.Entry::getKey));
        Set<String> kept = new TreeSet<>();
        int notDrawn = 0;
        for (int i = 0; i < ranked.size(); i++) {
            if (i < maxNodes) {
                kept.add(ranked.get(i).getKey());
            } else {
                notDrawn += (int) ranked.get(i).getValue()[2];
            }
        }
        List<Node> keptNodes = new ArrayList<>();
        for (String g : kept) {
            long[] v = grouped.get(g);
            keptNodes.add(new Node(g, (int) v[0], v[1]));
        }
        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        for (Edge e : edges) {
            String from = prefix(e.from(), depth);
            String to = prefix(e.to(), depth);
            if (!from.equals(to) && kept.contains(from) && kept.contains(to)) {
                counts.computeIfAbsent(from, k -> new TreeMap<>()).merge(to, e.imports(), Integer::sum);
            }
        }
        return new Collapsed(assemble(keptNodes, counts, largestFiles), depth, notDrawn);
    }

    private static int segments(String name) {
        int n = 1;
        for (int i = name.indexOf('.'); i >= 0; i = name.indexOf('.', i + 1)) {
            n++;
        }
        return n;
    }

    private static String prefix(String name, int depth) {
        int end = -1;
        for (int d = 0; d < depth; d++) {
            end = name.indexOf('.', end + 1);
            if (end < 0) {
                return name;
            }
        }
        return name.substring(0, end);
    }
}
