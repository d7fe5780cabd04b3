package dev.aar.core.analysis;

import java.util.Locale;
import java.util.Objects;

/**
 * A layering rule: modules matching {@code from} must not depend on modules matching {@code to}.
 *
 * @param from the modules the rule restricts
 * @param to the modules they must not import
 */
public record LayerRule(ModulePattern from, ModulePattern to) {

    private static final String SEPARATOR = " must not depend on ";

    public LayerRule {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }

    /**
     * Parses {@code "<pattern> must not depend on <pattern>"} (the words case-insensitive), for example
     * {@code "*.domain.. must not depend on *.infrastructure.."}; see {@link ModulePattern} for the patterns.
     *
     * @throws IllegalArgumentException naming the rule and what is wrong with it
     */
    public static LayerRule parse(String rule) {
        Objects.requireNonNull(rule, "rule");
        String normalized = rule.strip().replaceAll("\\s+", " ");
        int at = normalized.toLowerCase(Locale.ROOT).indexOf(SEPARATOR);
        if (at <= 0) {
            throw new IllegalArgumentException("layer rule '" + rule
                    + "' must read '<pattern> must not depend on <pattern>'");
        }
        return new LayerRule(ModulePattern.parse(normalized.substring(0, at)),
                ModulePattern.parse(normalized.substring(at + SEPARATOR.length())));
    }

    /** Returns whether a dependency of module {@code importer} on module {@code imported} breaks this rule. */
    public boolean forbids(String importer, String imported) {
        return !importer.equals(imported) && from.matches(importer) && to.matches(imported);
    }

    @Override
    public String toString() {
        return from + SEPARATOR + to;
    }
}
