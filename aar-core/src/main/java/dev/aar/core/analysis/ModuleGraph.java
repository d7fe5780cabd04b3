package dev.aar.core.analysis;

import dev.aar.core.analysis.internal.Import;
import dev.aar.core.analysis.internal.ImportGraph;
import dev.aar.core.analysis.internal.ModuleCycles;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;

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
     * @param violates the first configured {@link LayerRule} the dependency breaks, as written in the
     *     configuration, or null when it breaks none
     */
    public record Edge(String from, String to, int imports, boolean cycle, String violates) {
        public Edge {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }

        /** An edge that breaks no layering rule. */
        public Edge(String from, String to, int imports, boolean cycle) {
            this(from, to, imports, cycle, null);
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
     * @param grouped whether drawn nodes stand for groups of modules (named by their common leading segments)
     * @param notDrawn modules of the full graph that no drawn node stands for
     * @param members for each drawn group, the names of the modules it stands for, sorted; empty when not grouped
     */
    public record Collapsed(ModuleGraph graph, boolean grouped, int notDrawn, Map<String, List<String>> members) {
        public Collapsed {
            members = Collections.unmodifiableMap(new TreeMap<>(members));
        }

        /** A reduction without groups (every drawn node is one module). */
        public Collapsed(ModuleGraph graph, boolean grouped, int notDrawn) {
            this(graph, grouped, notDrawn, Map.of());
        }
    }

    /**
     * Returns the module graph of {@code project}, from the import graph the dependency-cycle and
     * layering analyzers already built for the same view (parsed once per view); no edge is marked
     * as breaking a layering rule.
     */
    public static ModuleGraph of(ProjectView project) {
        return of(project, List.of());
    }

    /**
     * Returns the module graph of {@code project} with each edge that breaks one of {@code rules}
     * marked ({@link Edge#violates()}): the same rules, checked the same way, as the layering
     * analyzer's findings, so the picture and the findings agree.
     */
    public static ModuleGraph of(ProjectView project, List<LayerRule> rules) {
        Objects.requireNonNull(rules, "rules");
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
        BiFunction<String, String, String> violates = (from, to) -> {
            for (LayerRule rule : rules) {
                if (rule.forbids(from, to)) {
                    return rule.toString();
                }
            }
            return null;
        };
        return assemble(nodes, counts, violates, files.subList(0, Math.min(LARGEST_FILES, files.size())));
    }

    /**
     * Builds the graph from nodes and import counts, marking cycle edges by the components of the
     * graph and layering violations by {@code violates} (from, to: the rule broken, or null).
     */
    private static ModuleGraph assemble(List<Node> nodes, Map<String, Map<String, Integer>> counts,
            BiFunction<String, String, String> violates, List<FileSize> largestFiles) {
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
            edges.add(new Edge(from, to, n, a != null && a.equals(component.get(to)), violates.apply(from, to)));
        }));
        List<Node> sorted = new ArrayList<>(nodes);
        sorted.sort(Comparator.comparing(Node::name));
        return new ModuleGraph(sorted, edges, cycles, largestFiles);
    }

    /**
     * Reduces the graph to at most {@code maxNodes} nodes for drawing. Modules are grouped by leading
     * name segments, starting from the first segment; then a group is opened into its groups one
     * segment longer whenever the result still fits: the shallowest groups first and among them the
     * biggest (by lines), so big parts of a project are shown in more detail than small ones and
     * no part goes three levels deep while another still sits at one (the JDK's {@code java},
     * {@code javax}, {@code sun} open into {@code java.util}, {@code javax.swing}, {@code sun.security},
     * ..., rather than the biggest group, {@code sun}, opening all the way down to its locale data
     * packages while {@code java} stays one box). When even the
     * first segments give too many groups, the biggest groups are kept and the rest counted in
     * {@link Collapsed#notDrawn()}; so it is, too, when the grouping would end in a single box (all
     * modules under {@code com.acme}, with more direct sub-packages than the budget): that box is
     * opened anyway. Cycles are recomputed on the reduced graph, since grouping can make new ones.
     */
    public Collapsed collapse(int maxNodes) {
        if (maxNodes < 1) {
            throw new IllegalArgumentException("maxNodes must be positive: " + maxNodes);
        }
        if (nodes.size() <= maxNodes) {
            return new Collapsed(this, false, 0);
        }
        // group name -> its modules; a group named by the first d segments holds every module under it
        Map<String, List<Node>> groups = split(nodes, 1);
        Map<String, Integer> depth = new HashMap<>();
        groups.keySet().forEach(g -> depth.put(g, 1));
        boolean opened = true;
        while (opened && groups.size() <= maxNodes) {
            opened = false;
            List<String> order = byLines(groups);
            order.sort(Comparator.comparing(depth::get)); // stable: biggest first within a depth
            for (String g : order) {
                Map<String, List<Node>> children = split(groups.get(g), depth.get(g) + 1);
                boolean deeper = children.size() > 1 || !children.containsKey(g);
                if (deeper && groups.size() - 1 + children.size() <= maxNodes) {
                    int d = depth.remove(g) + 1;
                    groups.remove(g);
                    groups.putAll(children);
                    children.keySet().forEach(c -> depth.put(c, d));
                    opened = true;
                    break; // sizes changed: pick the biggest again
                }
            }
        }
        // one box says nothing (a project whose packages all sit under com.acme, a group's own graph):
        // open it even past the budget; the biggest groups below are kept and the rest counted
        while (groups.size() == 1) {
            String g = groups.keySet().iterator().next();
            Map<String, List<Node>> children = split(groups.get(g), depth.get(g) + 1);
            if (children.size() == 1 && children.containsKey(g)) {
                break; // one module
            }
            int d = depth.remove(g) + 1;
            groups = children;
            children.keySet().forEach(c -> depth.put(c, d));
        }
        List<String> ranked = byLines(groups);
        Map<String, String> groupOf = new HashMap<>();
        Map<String, List<String>> members = new TreeMap<>();
        List<Node> keptNodes = new ArrayList<>();
        int notDrawn = 0;
        for (int i = 0; i < ranked.size(); i++) {
            List<Node> inGroup = groups.get(ranked.get(i));
            if (i >= maxNodes) {
                notDrawn += inGroup.size();
                continue;
            }
            int files = 0;
            long lines = 0;
            List<String> names = new ArrayList<>();
            for (Node n : inGroup) {
                files += n.files();
                lines += n.lines();
                groupOf.put(n.name(), ranked.get(i));
                names.add(n.name());
            }
            names.sort(Comparator.naturalOrder());
            members.put(ranked.get(i), List.copyOf(names));
            keptNodes.add(new Node(ranked.get(i), files, lines));
        }
        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        Map<String, String> rules = new HashMap<>(); // "from\0to" of two groups -> the first rule broken between them
        for (Edge e : edges) {
            String from = groupOf.get(e.from());
            String to = groupOf.get(e.to());
            if (from != null && to != null && !from.equals(to)) {
                counts.computeIfAbsent(from, k -> new TreeMap<>()).merge(to, e.imports(), Integer::sum);
                if (e.violates() != null) {
                    rules.putIfAbsent(from + '\0' + to, e.violates()); // edges are sorted: the same one each time
                }
            }
        }
        return new Collapsed(assemble(keptNodes, counts, (from, to) -> rules.get(from + '\0' + to), largestFiles),
                true, notDrawn, members);
    }

    /**
     * Returns the part of this graph made of {@code modules}: those nodes, the edges between them
     * (import counts and layering marks kept) and their largest files. Cycles are recomputed inside
     * the part, so a cycle that runs through modules outside it is not one here.
     */
    public ModuleGraph within(Collection<String> modules) {
        Set<String> names = new TreeSet<>(modules);
        List<Node> kept = nodes.stream().filter(n -> names.contains(n.name())).toList();
        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        Map<String, String> rules = new HashMap<>();
        for (Edge e : edges) {
            if (names.contains(e.from()) && names.contains(e.to())) {
                counts.computeIfAbsent(e.from(), k -> new TreeMap<>()).put(e.to(), e.imports());
                if (e.violates() != null) {
                    rules.put(e.from() + '\0' + e.to(), e.violates());
                }
            }
        }
        List<FileSize> files = largestFiles.stream().filter(f -> names.contains(f.module())).toList();
        return assemble(kept, counts, (from, to) -> rules.get(from + '\0' + to), files);
    }

    /** Groups {@code members} by their first {@code depth} name segments, sorted by group name. */
    private static Map<String, List<Node>> split(List<Node> members, int depth) {
        Map<String, List<Node>> out = new TreeMap<>();
        for (Node n : members) {
            out.computeIfAbsent(prefix(n.name(), depth), k -> new ArrayList<>()).add(n);
        }
        return out;
    }

    /** Group names, most lines first, then by name. */
    private static List<String> byLines(Map<String, List<Node>> groups) {
        Map<String, Long> lines = new HashMap<>();
        groups.forEach((g, members) -> lines.put(g, members.stream().mapToLong(Node::lines).sum()));
        List<String> names = new ArrayList<>(groups.keySet());
        names.sort(Comparator.<String>comparingLong(lines::get).reversed().thenComparing(Comparator.naturalOrder()));
        return names;
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
