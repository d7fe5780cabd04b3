package dev.aar.core.analysis;

import dev.aar.core.analysis.internal.Import;
import dev.aar.core.analysis.internal.ImportGraph;
import dev.aar.core.event.Finding;
import dev.aar.core.event.Severity;
import java.util.List;
import java.util.Objects;

/**
 * Checks the configured {@link LayerRule}s against every import of the project; each import that
 * breaks a rule is a {@link Severity#HIGH} finding ({@value #RULE}) at the importing file and line.
 *
 * <p>Imports of modules outside the project are checked too, as the JVM package or C# namespace
 * they name, so a rule such as {@code "..domain.. must not depend on org.springframework.."} works.
 * Without rules the analyzer finds nothing.
 */
public final class LayeringAnalyzer implements Analyzer {

    public static final String ID = "layering";
    public static final String RULE = "layering-violation";

    private final List<LayerRule> rules;

    public LayeringAnalyzer(AnalysisConfig config) {
        this.rules = Objects.requireNonNull(config, "config").layerRules();
    }

    /** Returns the rules this analyzer checks, in the configured order. */
    public List<LayerRule> rules() {
        return rules;
    }

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
        return "Imports that break the configured layering rules";
    }

    @Override
    public void analyze(ProjectView project, FindingSink sink) {
        if (rules.isEmpty()) {
            return;
        }
        java.util.Map<String, SourceFile> byPath = new java.util.HashMap<>();
        project.files().forEach(f -> byPath.put(f.path(), f));
        Lines lines = new Lines();
        for (Import i : ImportGraph.of(project).imports()) {
            for (LayerRule rule : rules) {
                if (rule.forbids(i.from(), i.to())) {
                    sink.emit(new Finding(Severity.HIGH, RULE, "Module " + i.from() + " imports " + i.to()
                            + ", which breaks the rule '" + rule + "'.", i.file(), i.line(),
                            lines.of(byPath.get(i.file()), i.line())));
                    break;
                }
            }
        }
    }

    /** The lines of the file last asked about: imports come file by file, so each file is split once. */
    private static final class Lines {
        private SourceFile file;
        private String[] lines;

        String of(SourceFile f, int line) {
            if (f == null) {
                return null; // left out of the run (over its time budget) after the graph was built
            }
            if (f != file) {
                file = f;
                lines = f.text().split("\n", -1);
            }
            return line <= lines.length ? lines[line - 1].strip() : null;
        }
    }
}
