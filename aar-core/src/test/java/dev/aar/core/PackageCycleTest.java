package dev.aar.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the architecture honest: no dependency cycle among the {@code dev.aar.*} packages of aar-core's
 * main sources, and no use of an {@code internal} package from outside its owner (docs/architecture.md,
 * "Dependency rules").
 *
 * <p>Dependencies are read from the source: imports, static imports and fully qualified names in code
 * (comments and string literals are skipped). A package and its own {@code internal} sub-package count
 * as one node: the implementation may use the API it implements. The exception is the root's
 * {@code dev.aar.core.internal}, small shared utilities every package may use: it is a node of its
 * own, below everything, while the root package holds only the {@link Aar} entry point, above
 * everything.
 */
class PackageCycleTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final String ROOT = "dev.aar.core";
    private static final String SHARED_INTERNAL = ROOT + ".internal";
    private static final Pattern PACKAGE = Pattern.compile("\\bpackage\\s+([\\w.]+)\\s*;");
    private static final Pattern IMPORT = Pattern.compile("\\bimport\\s+(?:static\\s+)?([\\w.]+?)(\\.\\*)?\\s*;");
    private static final Pattern QUALIFIED = Pattern.compile("\\bdev\\.aar(?:\\.[a-z_][a-z0-9_]*)+\\.[A-Z]\\w*");

    /**
     * Deliberate uses of another package's internals, each with its reason. Keep this list short.
     */
    private static final Map<String, String> FRIENDS = Map.of(
            // preflight walks archives with the extractor's own readers, so both apply the same defences
            // and count the same entries; the readers are not public API
            "dev.aar.core.preflight", "dev.aar.core.extract.internal",
            // the entry point registers what it wired for the project's own server, CLI and tests; no API
            ROOT, "dev.aar.core.wiring.internal");

    @Test
    void thereAreNoPackageCycles() throws IOException {
        Map<String, Map<String, List<String>>> graph = withInternalsMerged(dependencies());
        assertThat(graph).as("sources found under %s", SOURCES.toAbsolutePath()).containsKey(ROOT);

        List<String> cycles = new ArrayList<>();
        for (Set<String> component : stronglyConnected(graph)) {
            if (component.size() > 1) {
                StringBuilder why = new StringBuilder("cycle among " + component + ":");
                for (String from : component) {
                    graph.getOrDefault(from, Map.of()).forEach((to, evidence) -> {
                        if (component.contains(to)) {
                            why.append("\n  ").append(from).append(" -> ").append(to).append(" via ").append(evidence);
                        }
                    });
                }
                cycles.add(why.toString());
            }
        }
        assertThat(cycles).as("package cycles").isEmpty();
    }

    @Test
    void internalPackagesAreUsedOnlyByTheirOwner() throws IOException {
        List<String> violations = new ArrayList<>();
        dependencies().forEach((from, edges) -> edges.forEach((to, evidence) -> {
            int internal = to.indexOf(".internal");
            if (internal >= 0 && !from.startsWith(to.substring(0, internal)) && !to.equals(FRIENDS.get(from))) {
                violations.add(from + " -> " + to + " via " + evidence);
            }
        }));
        assertThat(violations).as("uses of another package's internal sub-package").isEmpty();
    }

    @Test
    void theCheckerSeesACycleWhenThereIsOne() {
        Map<String, Map<String, List<String>>> graph = new TreeMap<>();
        edge(graph, "a", "b", "A.java");
        edge(graph, "b", "c", "B.java");
        edge(graph, "c", "a", "C.java");
        edge(graph, "c", "d", "C.java");

        assertThat(stronglyConnected(graph)).anySatisfy(c -> assertThat(c).containsExactlyInAnyOrder("a", "b", "c"));
    }

    @Test
    void theReaderIgnoresCommentsAndStrings() {
        String code = """
                package dev.aar.core.x;
                import dev.aar.core.y.Thing;
                import static dev.aar.core.z.Util.helper;
                /** See {@link dev.aar.core.w.Doc}. */
                class X { String s = "dev.aar.core.v.Str"; // dev.aar.core.u.Line
                  Object o = new dev.aar.core.t.Qualified(); char c = '"'; }
                """;

        assertThat(targets(codeOnly(code)).stream().map(PackageCycleTest::nodeOfType))
                .containsExactlyInAnyOrder("dev.aar.core.y", "dev.aar.core.z", "dev.aar.core.t");
        assertThat(nodeOfType("dev.aar.core.Aar.Builder")).isEqualTo(ROOT);
        assertThat(nodeOfType("dev.aar.core.error.ConfigException")).isEqualTo("dev.aar.core.error");
    }

    /** Folds every {@code x.internal} node into {@code x}. */
    private static Map<String, Map<String, List<String>>> withInternalsMerged(Map<String, Map<String, List<String>>> graph) {
        Map<String, Map<String, List<String>>> merged = new TreeMap<>();
        graph.forEach((from, edges) -> {
            String owner = owner(from);
            merged.computeIfAbsent(owner, k -> new TreeMap<>());
            edges.forEach((to, evidence) -> {
                if (!owner(to).equals(owner)) {
                    merged.get(owner).computeIfAbsent(owner(to), k -> new ArrayList<>()).addAll(evidence);
                }
            });
        });
        return merged;
    }

    private static String owner(String node) {
        if (node.startsWith(SHARED_INTERNAL)) {
            return SHARED_INTERNAL;
        }
        int internal = node.indexOf(".internal");
        return internal < 0 ? node : node.substring(0, internal);
    }

    // ---- reading the sources ----

    private static Map<String, Map<String, List<String>>> dependencies() throws IOException {
        Map<String, Map<String, List<String>>> graph = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> all = Files.walk(SOURCES)) {
            files = all.filter(p -> p.toString().endsWith(".java")).toList();
        }
        for (Path file : files) {
            String code = codeOnly(Files.readString(file));
            Matcher pkg = PACKAGE.matcher(code);
            if (!pkg.find() || !pkg.group(1).startsWith("dev.aar")) {
                continue;
            }
            String from = pkg.group(1);
            graph.computeIfAbsent(from, k -> new TreeMap<>());
            for (String type : targets(code)) {
                String to = nodeOfType(type);
                if (!to.equals(from)) {
                    edge(graph, from, to, SOURCES.relativize(file) + " uses " + type);
                }
            }
        }
        return graph;
    }

    private static List<String> targets(String code) {
        List<String> types = new ArrayList<>();
        Matcher imports = IMPORT.matcher(code);
        while (imports.find()) {
            if (imports.group(1).startsWith("dev.aar.")) {
                types.add(imports.group(1) + (imports.group(2) == null ? "" : ".*"));
            }
        }
        String withoutImports = IMPORT.matcher(PACKAGE.matcher(code).replaceAll("")).replaceAll("");
        Matcher qualified = QUALIFIED.matcher(withoutImports);
        while (qualified.find()) {
            types.add(qualified.group());
        }
        return types;
    }

    /** {@code dev.aar.core.config.AarConfig.Builder} is in node {@code dev.aar.core.config}; {@code a.b.*} in {@code a.b}. */
    private static String nodeOfType(String type) {
        String[] parts = type.split("\\.");
        StringBuilder pkg = new StringBuilder();
        for (String part : parts) {
            if (part.equals("*") || Character.isUpperCase(part.charAt(0))) {
                return pkg.toString();
            }
            pkg.append(pkg.length() == 0 ? "" : ".").append(part);
        }
        return pkg.toString();
    }


    /** Returns {@code source} with comments, string, text-block and char literals blanked out. */
    static String codeOnly(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                while (i < n && source.charAt(i) != '\n') {
                    i++;
                }
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                i = end < 0 ? n : end + 3;
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && source.charAt(j) != c) {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                i = j + 1;
                out.append(c).append(c);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    // ---- cycles ----

    private static void edge(Map<String, Map<String, List<String>>> graph, String from, String to, String why) {
        graph.computeIfAbsent(from, k -> new TreeMap<>()).computeIfAbsent(to, k -> new ArrayList<>()).add(why);
        graph.computeIfAbsent(to, k -> new TreeMap<>());
    }

    /** Tarjan's algorithm: the strongly connected components of the graph. */
    private static List<Set<String>> stronglyConnected(Map<String, Map<String, List<String>>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> components = new ArrayList<>();
        int[] counter = {0};
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, graph, index, low, stack, onStack, components, counter);
            }
        }
        return components;
    }

    private static void connect(String v, Map<String, Map<String, List<String>>> graph, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<Set<String>> components,
            int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]);
        counter[0]++;
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Map.of()).keySet()) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, onStack, components, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            components.add(component);
        }
    }
}
