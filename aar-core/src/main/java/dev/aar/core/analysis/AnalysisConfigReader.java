package dev.aar.core.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.aar.core.error.ConfigException;
import dev.aar.core.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Reads the optional {@code "Analysis"} section of the same JSON file {@link dev.aar.core.config.ConfigLoader}
 * reads; a file without the section gives {@link AnalysisConfig#defaults()}.
 *
 * <p>Keys match case-insensitively: {@code DisabledAnalyzers} (array of ids), {@code MaxFileLines},
 * {@code MaxClassLines}, {@code MaxFunctionLines}, {@code MaxNestingDepth}, {@code TopModules}
 * (whole numbers), {@code LayerRules} (array of {@code "<pattern> must not depend on <pattern>"}), and
 * the {@link AnalysisLimits}: {@code MaxAnalyzedFileBytes}, {@code MaxAnalyzedFileLines},
 * {@code FileTimeBudgetMillis}, {@code DeadlineSeconds} (whole numbers).
 * An unknown key is refused, naming it, since it is almost always a typo of a threshold.
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
        JsonNode root;
        try {
            root = Json.readSettings(json);
        } catch (JsonProcessingException e) {
            throw new ConfigException(ConfigException.Reason.MALFORMED,
                    "configuration file " + source + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode section = root == null ? null : field(root, AnalysisConfig.SECTION);
        if (section == null || section.isNull()) {
            return AnalysisConfig.defaults();
        }
        if (!section.isObject()) {
            throw new ConfigException(ConfigException.Reason.WRONG_TYPE, AnalysisConfig.SECTION + " must be a JSON object");
        }
        return read(section);
    }

    private static AnalysisConfig read(JsonNode section) {
        AnalysisConfig.Builder b = AnalysisConfig.builder();
        Set<String> known = new HashSet<>();
        whole(section, "MaxFileLines", known, b::maxFileLines);
        whole(section, "MaxClassLines", known, b::maxClassLines);
        whole(section, "MaxFunctionLines", known, b::maxFunctionLines);
        whole(section, "MaxNestingDepth", known, b::maxNestingDepth);
        whole(section, "TopModules", known, b::topModules);
        AnalysisLimits[] limits = {AnalysisLimits.defaults()};
        whole(section, "MaxAnalyzedFileBytes", known, v -> limits[0] = limits[0].withMaxFileBytes(v));
        whole(section, "MaxAnalyzedFileLines", known, v -> limits[0] = limits[0].withMaxFileLines(v));
        whole(section, "FileTimeBudgetMillis", known,
                v -> limits[0] = limits[0].withFileTimeBudget(java.time.Duration.ofMillis(v)));
        whole(section, "DeadlineSeconds", known, v -> limits[0] = limits[0].withDeadline(java.time.Duration.ofSeconds(v)));
        b.limits(limits[0]);
        List<String> disabled = strings(section, "DisabledAnalyzers", known);
        if (disabled != null) {
            b.disabledAnalyzers(Set.copyOf(disabled));
        }
        List<String> rules = strings(section, "LayerRules", known);
        if (rules != null) {
            b.layerRules(rules.toArray(String[]::new));
        }
        Iterator<String> names = section.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new ConfigException(ConfigException.Reason.WRONG_TYPE, "unknown configuration key "
                        + AnalysisConfig.SECTION + "." + name + "; known: DisabledAnalyzers, MaxFileLines, MaxClassLines, "
                        + "MaxFunctionLines, MaxNestingDepth, TopModules, LayerRules, MaxAnalyzedFileBytes, "
                        + "MaxAnalyzedFileLines, FileTimeBudgetMillis, DeadlineSeconds");
            }
        }
        return b.build();
    }

    private static JsonNode field(JsonNode node, String name) {
        String key = Json.key(node, name);
        return key == null ? null : node.get(key);
    }

    private static void whole(JsonNode section, String key, Set<String> known, IntConsumer setter) {
        JsonNode v = field(section, key);
        if (v == null) {
            return;
        }
        known.add(Json.key(section, key));
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new ConfigException(ConfigException.Reason.WRONG_TYPE,
                    AnalysisConfig.SECTION + "." + key + " = " + v + " is not a whole number");
        }
        setter.accept(v.intValue());
    }

    private static List<String> strings(JsonNode section, String key, Set<String> known) {
        JsonNode v = field(section, key);
        if (v == null) {
            return null;
        }
        known.add(Json.key(section, key));
        if (!v.isArray()) {
            throw new ConfigException(ConfigException.Reason.WRONG_TYPE,
                    AnalysisConfig.SECTION + "." + key + " = " + v + " is not an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw new ConfigException(ConfigException.Reason.WRONG_TYPE,
                        AnalysisConfig.SECTION + "." + key + " holds " + item + ", which is not a string");
            }
            out.add(item.textValue());
        }
        return out;
    }
}
