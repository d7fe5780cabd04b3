package dev.aar.core.analysis;

import dev.aar.core.config.ConfigSection;
import dev.aar.core.error.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Reads the optional {@code "Analysis"} section of the same JSON file {@link dev.aar.core.config.ConfigLoader}
 * reads; a file without the section gives {@link AnalysisConfig#defaults()}.
 *
 * <p>Keys match case-insensitively: {@code DisabledAnalyzers} (array of ids), {@code MaxFileLines},
 * {@code MaxClassLines}, {@code MaxFunctionLines}, {@code MaxNestingDepth}, {@code TopModules}
 * (whole numbers), {@code LayerRules} (array of {@code "<pattern> must not depend on <pattern>"}), and
 * the {@link AnalysisLimits}: {@code MaxAnalyzedFileBytes}, {@code MaxAnalyzedFileLines},
 * {@code FileTimeBudgetMillis}, {@code DeadlineSeconds} (whole numbers).
 * Read with {@link ConfigSection}, like every section; an unknown key is refused, naming it, since it
 * is almost always a typo of a threshold ({@link ConfigSection.UnknownKeys#REFUSE}).
 */
public final class AnalysisConfigReader {


    private AnalysisConfigReader() {
    }

    /** Reads the {@code Analysis} section of the JSON file {@code file}. */
    public static AnalysisConfig load(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new ConfigException(ConfigException.Reason.FILE_UNREADABLE,
                    "configuration file " + file.toAbsolutePath() + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Reads the {@code Analysis} section of {@code json} (named {@code source} in messages). */
    public static AnalysisConfig parse(String json, String source) {
        ConfigSection section = ConfigSection.of(ConfigSection.parse(json, source), AnalysisConfig.SECTION);
        return section.present() ? read(section) : AnalysisConfig.defaults();
    }

    private static AnalysisConfig read(ConfigSection section) {
        AnalysisConfig.Builder b = AnalysisConfig.builder();
        section.wholeInt("MaxFileLines").ifPresent(b::maxFileLines);
        section.wholeInt("MaxClassLines").ifPresent(b::maxClassLines);
        section.wholeInt("MaxFunctionLines").ifPresent(b::maxFunctionLines);
        section.wholeInt("MaxNestingDepth").ifPresent(b::maxNestingDepth);
        section.wholeInt("TopModules").ifPresent(b::topModules);
        AnalysisLimits[] limits = {AnalysisLimits.defaults()};
        section.wholeInt("MaxAnalyzedFileBytes").ifPresent(v -> limits[0] = limits[0].withMaxFileBytes(v));
        section.wholeInt("MaxAnalyzedFileLines").ifPresent(v -> limits[0] = limits[0].withMaxFileLines(v));
        section.wholeInt("FileTimeBudgetMillis")
                .ifPresent(v -> limits[0] = limits[0].withFileTimeBudget(java.time.Duration.ofMillis(v)));
        section.wholeInt("DeadlineSeconds").ifPresent(v -> limits[0] = limits[0].withDeadline(java.time.Duration.ofSeconds(v)));
        b.limits(limits[0]);
        section.strings("DisabledAnalyzers").ifPresent(d -> b.disabledAnalyzers(Set.copyOf(d)));
        section.strings("LayerRules").ifPresent(r -> b.layerRules(r.toArray(String[]::new)));
        section.finish(ConfigSection.UnknownKeys.REFUSE);
        return b.build();
    }
}
