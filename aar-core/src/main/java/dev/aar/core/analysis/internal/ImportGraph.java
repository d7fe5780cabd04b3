package dev.aar.core.analysis.internal;

import dev.aar.core.analysis.Language;
import dev.aar.core.analysis.ProjectView;
import dev.aar.core.analysis.SourceFile;
import dev.aar.core.analysis.internal.ParsedFile.RawImport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The module dependency graph of a project: every import resolved to a project module where
 * possible, and the graph of project modules with the first import seen for each edge.
 */
public final class ImportGraph {

    private final Set<String> modules;
    private final List<Import> imports;
    /** from -> to -> first import seen, both sorted for stable output. */
    private final Map<String, Map<String, Import>> edges;
    /** module -> files and lines of its parsed (non-test) files, for the report's picture of the graph. */
    private final Map<String, Size> sizes;

    /**
     * How big a module is.
     *
     * @param files parsed source files in the module
     * @param lines lines in those files
     */
    public record Size(int files, long lines) {
    }

    /**
     * One parsed file's size.
     *
     * @param file the file's path
     * @param module its module
     * @param lines its lines
     */
    public record FileLines(String file, String module, int lines) {
    }

    private final List<FileLines> files;

    private ImportGraph(Set<String> modules, List<Import> imports, Map<String, Size> sizes, List<FileLines> files) {
        this.files = List.copyOf(files);
        this.modules = Collections.unmodifiableSet(modules);
        this.sizes = Collections.unmodifiableMap(new TreeMap<>(sizes));
        this.imports = List.copyOf(imports);
        Map<String, Map<String, Import>> e = new TreeMap<>();
        for (String m : modules) {
            e.put(m, new TreeMap<>());
        }
        for (Import i : imports) {
            if (i.internal() && !i.from().equals(i.to())) {
                e.get(i.from()).putIfAbsent(i.to(), i);
            }
        }
        this.edges = e;
    }

    /** Views already parsed, so the cycle and layering analyzers of one run parse each file once. */
    private static final Map<ProjectView, ImportGraph> CACHE = Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /** Returns the graph of {@code project}, parsing it on first use. */
    public static ImportGraph of(ProjectView project) {
        ImportGraph graph = CACHE.get(project);
        if (graph == null) {
            graph = build(project); // outside the map's lock, so jobs in parallel do not wait on each other
            CACHE.putIfAbsent(project, graph);
        }
        return graph;
    }

    /** Parses every Java, Kotlin, C#, Python, JavaScript and TypeScript file of {@code project}, except test code. */
    private static ImportGraph build(ProjectView project) {
        List<ParsedFile> parsed = new ArrayList<>();
        Set<String> paths = new HashSet<>();
        Set<String> directories = new HashSet<>();
        Set<String> jsFiles = new HashSet<>();
        for (SourceFile f : project.files()) {
            paths.add(f.path());
            for (int slash = f.path().indexOf('/'); slash >= 0; slash = f.path().indexOf('/', slash + 1)) {
                directories.add(f.path().substring(0, slash));
            }
            if (f.language() == Language.JAVASCRIPT || f.language() == Language.TYPESCRIPT) {
                jsFiles.add(f.path());
            }
        }
        Set<String> modules = new TreeSet<>();
        Map<String, Size> sizes = new java.util.HashMap<>();
        List<FileLines> fileLines = new ArrayList<>();
        AnalysisGuard guard = AnalysisGuard.of(project);
        for (SourceFile f : project.files()) {
            if (PathKinds.isTestSource(f.path())) {
                // tests share their packages with the code they test, so their imports would join
                // modules that the shipped code keeps apart; what ships is what the graph describes
                continue;
            }
            guard.file(f, work -> {
                ParsedFile p = ImportParser.parse(f, work);
                if (p != null) {
                    parsed.add(p);
                    modules.add(p.module());
                    // the text is loaded already for parsing; counting here spares the report a second pass
                    int lines = LineCounter.lines(f.text(), work);
                    fileLines.add(new FileLines(p.file(), p.module(), lines));
                    sizes.merge(p.module(), new Size(1, lines),
                            (a, b) -> new Size(a.files() + b.files(), a.lines() + b.lines()));
                }
            });
        }
        Map<String, String> suffixes = suffixIndex(modules);
        List<Import> imports = new ArrayList<>();
        Work work = guard.work();
        for (ParsedFile p : parsed) {
            boolean js = jsFiles.contains(p.file());
            // Python modules are named from directories, so "app.models" may live at "src.app.models";
            // package and namespace names of the JVM and .NET are absolute
            Map<String, String> aliases = p.file().endsWith(".py") ? suffixes : Map.of();
            for (RawImport raw : p.imports()) {
                // resolving walks the dotted prefixes of a name (ImportParser caps its length)
                work.add((long) raw.target().length() * (1 + dots(raw.target())));
                Import resolved = js ? resolveJs(p, raw, paths, directories, modules)
                        : resolveDotted(p, raw, modules, aliases);
                if (resolved != null) {
                    imports.add(resolved);
                }
            }
        }
        guard.counted(work);
        return new ImportGraph(modules, imports, sizes, fileLines);
    }

    private static int dots(String name) {
        int n = 0;
        for (int i = name.indexOf('.'); i >= 0; i = name.indexOf('.', i + 1)) {
            n++;
        }
        return n;
    }

    private static Import resolveJs(ParsedFile p, RawImport raw, Set<String> paths, Set<String> directories,
            Set<String> modules) {
        String path = raw.target();
        boolean isFile = paths.contains(path);
        for (String ext : List.of(".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts", ".d.ts")) {
            isFile |= paths.contains(path + ext);
        }
        String module;
        if (!isFile && directories.contains(path)) {
            module = ImportParser.dottedOrRoot(path);
        } else {
            int slash = path.lastIndexOf('/');
            module = ImportParser.dottedOrRoot(slash < 0 ? "" : path.substring(0, slash));
        }
        return modules.contains(module) ? new Import(p.module(), module, true, p.file(), raw.line()) : null;
    }

    private static Import resolveDotted(ParsedFile p, RawImport raw, Set<String> modules, Map<String, String> aliases) {
        String target = raw.target();
        if (raw.exact()) {
            // relative Python import: the module itself, or the package holding a module file
            for (String candidate = target; candidate != null; candidate = parentOf(candidate)) {
                if (modules.contains(candidate)) {
                    return new Import(p.module(), candidate, true, p.file(), raw.line());
                }
            }
            return null;
        }
        for (String prefix = target; prefix != null; prefix = parentOf(prefix)) {
            String known = modules.contains(prefix) ? prefix : aliases.get(prefix);
            if (known != null) {
                return new Import(p.module(), known, true, p.file(), raw.line());
            }
        }
        return new Import(p.module(), externalPackage(target), false, p.file(), raw.line());
    }

    /**
     * Maps every proper dotted suffix of a module name to that module ("app.models" to
     * "src.app.models"); a suffix shared by two modules maps to nothing, so it is never guessed.
     */
    private static Map<String, String> suffixIndex(Set<String> modules) {
        Map<String, String> index = new java.util.HashMap<>();
        Set<String> ambiguous = new HashSet<>();
        for (String m : modules) {
            for (int dot = m.indexOf('.'); dot >= 0; dot = m.indexOf('.', dot + 1)) {
                String suffix = m.substring(dot + 1);
                if (index.putIfAbsent(suffix, m) != null) {
                    ambiguous.add(suffix);
                }
            }
        }
        index.keySet().removeAll(ambiguous);
        return index;
    }

    /** Drops trailing segments that start with an upper-case letter (type names) from a JVM import. */
    private static String externalPackage(String target) {
        String[] segments = target.split("\\.");
        int keep = segments.length;
        while (keep > 1 && !segments[keep - 1].isEmpty() && Character.isUpperCase(segments[keep - 1].charAt(0))
                && !Character.isUpperCase(segments[0].charAt(0))) {
            keep--;
        }
        return String.join(".", java.util.Arrays.copyOf(segments, keep));
    }

    private static String parentOf(String dotted) {
        int dot = dotted.lastIndexOf('.');
        return dot < 0 ? null : dotted.substring(0, dot);
    }

    /** Returns the project's modules, sorted. */
    public Set<String> modules() {
        return modules;
    }

    /** Returns the files and lines of each module, sorted by module. */
    public Map<String, Size> sizes() {
        return sizes;
    }

    /** Returns every parsed (non-test) file with its module and lines, in parse order. */
    public List<FileLines> files() {
        return files;
    }

    /** Returns every resolved import, internal and external, in file order. */
    public List<Import> imports() {
        return imports;
    }

    /** Returns the project modules {@code module} depends on, each with the first import seen, sorted. */
    public Map<String, Import> dependenciesOf(String module) {
        return Collections.unmodifiableMap(edges.getOrDefault(module, Map.of()));
    }

    /** Returns how many distinct project modules depend on each module. */
    public Map<String, Integer> fanIn() {
        Map<String, Integer> in = new TreeMap<>();
        for (Map<String, Import> targets : edges.values()) {
            for (String to : targets.keySet()) {
                in.merge(to, 1, Integer::sum);
            }
        }
        return in;
    }
}
