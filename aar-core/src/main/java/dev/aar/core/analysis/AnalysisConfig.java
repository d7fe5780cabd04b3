package dev.aar.core.analysis;

import dev.aar.core.error.ConfigException;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which analyzers run and their thresholds; immutable, built with {@link #builder()}.
 *
 * @param disabledAnalyzers ids of analyzers that are not run ({@code Analysis.DisabledAnalyzers})
 * @param maxFileLines a file with more lines is a hotspot ({@code Analysis.MaxFileLines})
 * @param maxClassLines a class (or struct, interface, ...) with more lines is a hotspot ({@code Analysis.MaxClassLines})
 * @param maxFunctionLines a function or method with more lines is a hotspot ({@code Analysis.MaxFunctionLines})
 * @param maxNestingDepth a function nesting blocks deeper than this is a hotspot ({@code Analysis.MaxNestingDepth})
 * @param topModules how many most depended-on and most depending modules to report ({@code Analysis.TopModules})
 * @param layerRules layering rules to check ({@code Analysis.LayerRules}); none by default
 * @param limits how much work analysis may spend per file and per run (see {@link AnalysisLimits})
 */
public record AnalysisConfig(
        Set<String> disabledAnalyzers,
        int maxFileLines,
        int maxClassLines,
        int maxFunctionLines,
        int maxNestingDepth,
        int topModules,
        List<LayerRule> layerRules,
        AnalysisLimits limits) {

    /** The JSON configuration section these settings are read from. */
    public static final String SECTION = "Analysis";
    public static final int DEFAULT_MAX_FILE_LINES = 1000;
    public static final int DEFAULT_MAX_CLASS_LINES = 500;
    public static final int DEFAULT_MAX_FUNCTION_LINES = 80;
    public static final int DEFAULT_MAX_NESTING_DEPTH = 4;
    public static final int DEFAULT_TOP_MODULES = 5;

    public AnalysisConfig {
        disabledAnalyzers = Set.copyOf(Objects.requireNonNull(disabledAnalyzers, "disabledAnalyzers"));
        layerRules = List.copyOf(Objects.requireNonNull(layerRules, "layerRules"));
        Objects.requireNonNull(limits, "limits");
        checkRange("MaxFileLines", maxFileLines, 10, 10_000_000);
        checkRange("MaxClassLines", maxClassLines, 5, 10_000_000);
        checkRange("MaxFunctionLines", maxFunctionLines, 3, 10_000_000);
        checkRange("MaxNestingDepth", maxNestingDepth, 1, 100);
        checkRange("TopModules", topModules, 0, 1000);
    }

    private static void checkRange(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ConfigException(ConfigException.Reason.OUT_OF_RANGE,
                    SECTION + "." + key + " = " + value + " is out of range; allowed: " + min + ".." + max);
        }
    }

    /** Returns the defaults: every analyzer enabled, default thresholds, no layer rules. */
    public static AnalysisConfig defaults() {
        return builder().build();
    }

    /** Returns whether the analyzer with {@code id} should run. */
    public boolean isEnabled(String id) {
        return !disabledAnalyzers.contains(id);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().disabledAnalyzers(disabledAnalyzers).maxFileLines(maxFileLines)
                .maxClassLines(maxClassLines).maxFunctionLines(maxFunctionLines).maxNestingDepth(maxNestingDepth)
                .topModules(topModules).layerRules(layerRules).limits(limits);
    }

    /** Builds an {@link AnalysisConfig}; starts from the defaults and validates at {@link #build()}. */
    public static final class Builder {
        private Set<String> disabledAnalyzers = Set.of();
        private int maxFileLines = DEFAULT_MAX_FILE_LINES;
        private int maxClassLines = DEFAULT_MAX_CLASS_LINES;
        private int maxFunctionLines = DEFAULT_MAX_FUNCTION_LINES;
        private int maxNestingDepth = DEFAULT_MAX_NESTING_DEPTH;
        private int topModules = DEFAULT_TOP_MODULES;
        private List<LayerRule> layerRules = List.of();
        private AnalysisLimits limits = AnalysisLimits.defaults();

        private Builder() {
        }

        public Builder disabledAnalyzers(Set<String> ids) { this.disabledAnalyzers = ids; return this; }
        public Builder maxFileLines(int v) { this.maxFileLines = v; return this; }
        public Builder maxClassLines(int v) { this.maxClassLines = v; return this; }
        public Builder maxFunctionLines(int v) { this.maxFunctionLines = v; return this; }
        public Builder maxNestingDepth(int v) { this.maxNestingDepth = v; return this; }
        public Builder topModules(int v) { this.topModules = v; return this; }
        public Builder layerRules(List<LayerRule> rules) { this.layerRules = rules; return this; }
        public Builder limits(AnalysisLimits v) { this.limits = v; return this; }

        /** Parses each of {@code rules} with {@link LayerRule#parse} and uses them. */
        public Builder layerRules(String... rules) {
            try {
                this.layerRules = java.util.Arrays.stream(rules).map(LayerRule::parse).toList();
            } catch (IllegalArgumentException e) {
                throw new ConfigException(ConfigException.Reason.WRONG_TYPE, SECTION + ".LayerRules: " + e.getMessage());
            }
            return this;
        }

        public AnalysisConfig build() {
            return new AnalysisConfig(disabledAnalyzers, maxFileLines, maxClassLines, maxFunctionLines,
                    maxNestingDepth, topModules, layerRules, limits);
        }
    }
}
