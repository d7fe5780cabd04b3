package dev.aar.core.analysis;

import dev.aar.core.event.Finding;
import dev.aar.core.event.Severity;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Reports the project's {@link Inventory} as {@link Severity#INFO} findings: lines per language
 * ({@value #LANGUAGES_RULE}), each build manifest with its dependencies ({@value #MANIFEST_RULE}),
 * and the test-to-source ratio ({@value #TESTS_RULE}); a project with source but no tests gets a
 * {@link Severity#LOW} finding ({@value #NO_TESTS_RULE}). The report carries the full inventory too.
 */
public final class InventoryAnalyzer implements Analyzer {

    public static final String ID = "inventory";
    public static final String LANGUAGES_RULE = "inventory-languages";
    public static final String MANIFEST_RULE = "inventory-build-manifest";
    public static final String TESTS_RULE = "inventory-tests";
    public static final String NO_TESTS_RULE = "inventory-no-tests";
    private static final int MAX_LISTED = 50;

    @Override
    public String id() {
        return ID;
    }

    /** Reads the files only, so it runs while the project is still being indexed. */
    @Override
    public boolean usesEmbeddings() {
        return false;
    }

    @Override
    public String description() {
        return "Languages and lines, build manifests and their dependencies, test-to-source ratio";
    }

    @Override
    public void analyze(ProjectView project, FindingSink sink) {
        Inventory inv = Inventory.of(project);
        if (!inv.languages().isEmpty()) {
            sink.emit(new Finding(Severity.INFO, LANGUAGES_RULE, inv.totalFiles() + " files, " + inv.totalLines()
                    + " lines: " + inv.languages().stream().map(l -> l.language() + " " + l.lines())
                            .collect(Collectors.joining(", ")) + ".", null, null, null));
        }
        for (Inventory.BuildManifest m : inv.manifests()) {
            String deps = m.dependencies().stream().limit(MAX_LISTED).collect(Collectors.joining("\n"));
            if (m.dependencies().size() > MAX_LISTED) {
                deps += "\n... and " + (m.dependencies().size() - MAX_LISTED) + " more";
            }
            sink.emit(new Finding(Severity.INFO, MANIFEST_RULE, m.kind() + " manifest declaring "
                    + m.dependencies().size() + " dependencies" + (m.problem() == null ? "." : "; " + m.problem() + "."),
                    m.path(), null, deps.isEmpty() ? null : deps));
        }
        if (inv.sourceFiles() > 0 && inv.testFiles() == 0) {
            sink.emit(new Finding(Severity.LOW, NO_TESTS_RULE, "No test files found next to " + inv.sourceFiles()
                    + " source files; changes cannot be verified automatically.", null, null, null));
        } else if (inv.sourceFiles() > 0) {
            sink.emit(new Finding(Severity.INFO, TESTS_RULE, String.format(Locale.ROOT,
                    "%d test files (%d lines) for %d source files (%d lines): %.2f test lines per source line.",
                    inv.testFiles(), inv.testLines(), inv.sourceFiles(), inv.sourceLines(), inv.testToSourceRatio()),
                    null, null, null));
        }
    }
}
