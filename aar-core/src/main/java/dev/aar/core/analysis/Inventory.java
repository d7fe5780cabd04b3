package dev.aar.core.analysis;

import dev.aar.core.redact.Redactor;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import org.jspecify.annotations.Nullable;

/**
 * What a project is made of: languages, build manifests with their dependencies, and how much of
 * the code is tests.
 *
 * @param totalFiles indexable files
 * @param totalLines lines in those files
 * @param languages files and lines per language, most lines first
 * @param manifests build manifests found, by path
 * @param sourceFiles code files that are not tests
 * @param testFiles code files that are tests (by directory and file naming conventions)
 * @param sourceLines lines in source files
 * @param testLines lines in test files
 * @param testToSourceRatio test lines per source line (0 when there is no source)
 */
public record Inventory(
        int totalFiles,
        long totalLines,
        List<LanguageStats> languages,
        List<BuildManifest> manifests,
        int sourceFiles,
        int testFiles,
        long sourceLines,
        long testLines,
        double testToSourceRatio) {

    public Inventory {
        languages = List.copyOf(Objects.requireNonNull(languages, "languages"));
        manifests = List.copyOf(Objects.requireNonNull(manifests, "manifests"));
    }

    /** An inventory of nothing, for reports of jobs that stopped before analysis. */
    public static Inventory empty() {
        return new Inventory(0, 0, List.of(), List.of(), 0, 0, 0, 0, 0.0);
    }

    /** Views already scanned, so the inventory analyzer and the job that saves the report scan each once. */
    private static final Map<ProjectView, Inventory> SCANNED = Collections.synchronizedMap(new WeakHashMap<>());

    /** Takes the inventory of {@code project} (once per view: a view's files do not change). */
    public static Inventory of(ProjectView project) {
        Inventory inventory = SCANNED.get(project);
        if (inventory == null) {
            inventory = dev.aar.core.analysis.internal.InventoryScanner.scan(project); // outside the lock
            SCANNED.putIfAbsent(project, inventory);
        }
        return inventory;
    }

    /**
     * Files and lines of one language.
     *
     * @param language the language's display name, such as "Java" or "C#"
     * @param files how many files
     * @param lines how many lines
     */
    public record LanguageStats(String language, int files, long lines) {
    }

    /**
     * A build manifest and the dependencies it declares.
     *
     * @param path where it is in the project
     * @param kind the build system: "Maven", "Gradle", "npm", "NuGet", "Go modules", "pip", "pyproject" or "Cargo"
     * @param dependencies declared dependencies as written ({@code group:artifact:version}, {@code name@version}, ...)
     * @param problem why the manifest could not be read completely, or null
     *
     * <p>Dependencies are written by the project's authors and may carry credentials (a token in a git
     * URL); each passes through {@link Redactor}, as does the problem.
     */
    public record BuildManifest(String path, String kind, List<String> dependencies, @Nullable String problem) {
        public BuildManifest {
            dependencies = List.copyOf(dependencies.stream().map(d -> Redactor.redact(d, path)).toList());
            problem = Redactor.forClient(problem);
        }
    }
}
