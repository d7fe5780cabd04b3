package dev.aar.core.analysis;

import dev.aar.core.analysis.internal.AnalysisGuard;
import dev.aar.core.analysis.internal.BraceBlockScanner;
import dev.aar.core.analysis.internal.CodeBlock;
import dev.aar.core.analysis.internal.IndentBlockScanner;
import dev.aar.core.analysis.internal.LineCounter;
import dev.aar.core.analysis.internal.Work;
import dev.aar.core.event.Finding;
import dev.aar.core.event.Severity;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Finds code that is hard to change: oversized files, classes and functions, and deeply nested
 * functions, against the thresholds of {@link AnalysisConfig}.
 *
 * <p>Blocks are found without parsing: by braces for brace languages, by indentation for Python
 * (see {@code BraceBlockScanner} and {@code IndentBlockScanner} in the internal package). A size
 * over the threshold is {@link Severity#MEDIUM}, over three times the threshold {@link Severity#HIGH};
 * nesting deeper than allowed is {@link Severity#MEDIUM}. Files that look minified (average line
 * longer than {@value #MINIFIED_LINE_LENGTH} characters) are skipped.
 */
public final class HotspotAnalyzer implements Analyzer {

    public static final String ID = "hotspots";
    public static final String FILE_RULE = "hotspot-large-file";
    public static final String CLASS_RULE = "hotspot-large-class";
    public static final String FUNCTION_RULE = "hotspot-long-function";
    public static final String NESTING_RULE = "hotspot-deep-nesting";
    static final int MINIFIED_LINE_LENGTH = 300;

    private static final Set<Language> BRACE_LANGUAGES = EnumSet.of(Language.JAVA, Language.KOTLIN, Language.CSHARP,
            Language.JAVASCRIPT, Language.TYPESCRIPT, Language.GO, Language.RUST, Language.C, Language.CPP,
            Language.SCALA, Language.SWIFT, Language.PHP);

    private final AnalysisConfig config;

    public HotspotAnalyzer(AnalysisConfig config) {
        this.config = Objects.requireNonNull(config, "config");
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
        return "Oversized files, classes and functions; deeply nested functions";
    }

    @Override
    public void analyze(ProjectView project, FindingSink sink) {
        AnalysisGuard guard = AnalysisGuard.of(project);
        for (SourceFile file : project.files()) {
            if (file.language().isCode()) {
                guard.file(file, work -> analyze(file, work, sink));
            }
        }
    }

    private void analyze(SourceFile file, Work work, FindingSink sink) {
        Language language = file.language();
        String text = file.text();
        int lines = LineCounter.lines(text, work);
        if (lines > 0 && text.length() / lines > MINIFIED_LINE_LENGTH) {
            return;
        }
        if (lines > config.maxFileLines()) {
            sink.emit(new Finding(severity(lines, config.maxFileLines()), FILE_RULE, "File has " + lines
                    + " lines (threshold " + config.maxFileLines() + "); large files gather unrelated "
                    + "responsibilities and conflict often.", file.path(), null, null));
        }
        List<CodeBlock> blocks = BRACE_LANGUAGES.contains(language) ? BraceBlockScanner.scan(text, work)
                : language == Language.PYTHON ? IndentBlockScanner.scan(text, work) : List.of();
        for (CodeBlock b : blocks) {
            report(file.path(), b, sink);
        }
    }

    private void report(String path, CodeBlock b, FindingSink sink) {
        if (b.kind() == CodeBlock.Kind.CLASS && b.lines() > config.maxClassLines()) {
            sink.emit(new Finding(severity(b.lines(), config.maxClassLines()), CLASS_RULE, "Class " + b.name() + " has "
                    + b.lines() + " lines (threshold " + config.maxClassLines() + "); consider splitting its "
                    + "responsibilities.", path, b.startLine(), "lines " + b.startLine() + "-" + b.endLine()));
        }
        if (b.kind() == CodeBlock.Kind.FUNCTION && b.lines() > config.maxFunctionLines()) {
            sink.emit(new Finding(severity(b.lines(), config.maxFunctionLines()), FUNCTION_RULE, "Function " + b.name()
                    + " has " + b.lines() + " lines (threshold " + config.maxFunctionLines() + "); long functions "
                    + "are hard to test and review.", path, b.startLine(), "lines " + b.startLine() + "-" + b.endLine()));
        }
        if (b.kind() == CodeBlock.Kind.FUNCTION && b.nesting() > config.maxNestingDepth()) {
            sink.emit(new Finding(Severity.MEDIUM, NESTING_RULE, "Function " + b.name() + " nests blocks "
                    + b.nesting() + " deep (threshold " + config.maxNestingDepth() + "); extract the inner "
                    + "levels or return early.", path, b.startLine(), "deepest block at line " + b.deepestLine()));
        }
    }

    private static Severity severity(int value, int threshold) {
        return value > 3L * threshold ? Severity.HIGH : Severity.MEDIUM;
    }
}
