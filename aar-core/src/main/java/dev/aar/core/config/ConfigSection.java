package dev.aar.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.aar.core.error.ConfigException;
import dev.aar.core.internal.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One section of {@code appsettings.json}, read the same way by every part of the SDK (the spec's
 * sections in {@link ConfigLoader}, {@code Analysis}, aar-azure's {@code LlmReview}): keys match
 * case-insensitively as in .NET configuration, {@code null} means "not set", whole numbers and
 * booleans may also be written as strings, and a wrong value is refused naming the key and the
 * value. The section remembers which keys were asked for, and {@link #finish} applies the one
 * unknown-key rule: see {@link UnknownKeys}.
 */
public final class ConfigSection {

    /**
     * What an unknown key in a section means. The spec's sections warn: an {@code appsettings.json}
     * written for the .NET service may carry keys this SDK does not implement and must still load.
     * The SDK's own sections ({@code Analysis}, {@code LlmReview}) refuse: nothing else writes
     * them, so an unknown key there is a typo of a threshold that would silently not apply.
     */
    public enum UnknownKeys {
        /** Returned by {@link #finish} as warnings ({@code unknown configuration key S.K ignored}). */
        WARN,
        /** Refused by {@link #finish} with a {@link ConfigException} naming the key and the known ones. */
        REFUSE
    }

    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");
    private static final Set<String> KEYWORDS = Set.of("null", "true", "false", "NaN");

    private final String name;
    private final JsonNode node;
    private final boolean present;
    private final Set<String> used = new HashSet<>();
    private final Set<String> asked = new TreeSet<>();

    private ConfigSection(String name, JsonNode node, boolean present) {
        this.name = name;
        this.node = node;
        this.present = present;
    }

    /**
     * Parses a settings document ({@code //} and block comments and trailing commas allowed);
     * returns null for an empty one.
     *
     * @throws ConfigException MALFORMED, naming {@code source}, line and column, with quoted input hidden
     */
    public static JsonNode parse(String json, String source) {
        try {
            return Json.readSettings(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            // no cause attached: Jackson's own message quotes the offending text, which may be a secret
            throw new ConfigException(ConfigException.Reason.MALFORMED,
                    "configuration file " + source + " is not valid JSON" + where + ": " + hideQuotedText(e.getOriginalMessage()));
        }
    }

    /** Replaces quoted snippets of the input (a mistyped key value, say) in a parser message, keeping JSON keywords. */
    static String hideQuotedText(String message) {
        if (message == null) {
            return "";
        }
        Matcher m = QUOTED.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String text = m.group(1);
            boolean harmless = text.length() <= 1 || KEYWORDS.contains(text);
            m.appendReplacement(out, Matcher.quoteReplacement(harmless ? m.group() : "(text hidden)"));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * Returns the section {@code name} of {@code root} (matched case-insensitively); an empty one when
     * the document or the section is missing or null.
     *
     * @throws ConfigException WRONG_TYPE when the section is not a JSON object
     */
    public static ConfigSection of(JsonNode root, String name) {
        String key = root == null || !root.isObject() ? null : Json.key(root, name);
        JsonNode value = key == null ? null : root.get(key);
        if (value == null || value.isNull()) {
            return new ConfigSection(name, Json.object(), false);
        }
        if (!value.isObject()) {
            throw new ConfigException(ConfigException.Reason.WRONG_TYPE,
                    name + " must be a JSON object, was " + value.getNodeType());
        }
        return new ConfigSection(name, value, true);
    }

    /** Returns the section's name as the SDK spells it. */
    public String name() {
        return name;
    }

    /** Returns whether the document has this section. */
    public boolean present() {
        return present;
    }

    /** Returns the value of {@code key} if it is set (not absent, not null), and counts the key as known. */
    public Optional<JsonNode> value(String key) {
        asked.add(key);
        String actual = Json.key(node, key);
        if (actual == null) {
            return Optional.empty();
        }
        used.add(actual);
        JsonNode v = node.get(actual);
        return v.isNull() ? Optional.empty() : Optional.of(v);
    }

    /**
     * Returns the whole number under {@code key}: a JSON integer, a string of one, or a number such as
     * {@code 1e3} or {@code 100.0} that is whole.
     *
     * @param allowed the allowed range for messages, or null
     */
    public OptionalLong whole(String key, String allowed) {
        Optional<JsonNode> found = value(key);
        if (found.isEmpty()) {
            return OptionalLong.empty();
        }
        JsonNode v = found.get();
        String suffix = allowed == null ? "" : "; allowed: " + allowed;
        if (v.isIntegralNumber()) {
            if (!v.canConvertToLong()) {
                throw new ConfigException(ConfigException.Reason.OUT_OF_RANGE,
                        path(key) + " = " + v + " is out of range" + suffix);
            }
            return OptionalLong.of(v.longValue());
        }
        if (v.isTextual()) {
            try {
                return OptionalLong.of(Long.parseLong(v.textValue().trim()));
            } catch (NumberFormatException e) {
                throw notA(key, "\"" + v.textValue() + "\"", "a whole number" + suffix);
            }
        }
        if (v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue()) && Math.abs(v.doubleValue()) < 9e15) {
            return OptionalLong.of((long) v.doubleValue()); // 1e3 or 100.0 are whole numbers written oddly
        }
        throw notA(key, v.toString(), "a whole number" + suffix);
    }

    /** Returns the whole number under {@code key} that fits an {@code int}; see {@link #whole}. */
    public Optional<Integer> wholeInt(String key) {
        OptionalLong v = whole(key, null);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.getAsLong() != (int) v.getAsLong()) {
            throw notA(key, Long.toString(v.getAsLong()), "a whole number of at most " + Integer.MAX_VALUE);
        }
        return Optional.of((int) v.getAsLong());
    }

    /**
     * Returns the number under {@code key}, or a string of one.
     *
     * @param allowed the allowed range for messages
     */
    public OptionalDouble decimal(String key, String allowed) {
        Optional<JsonNode> found = value(key);
        if (found.isEmpty()) {
            return OptionalDouble.empty();
        }
        JsonNode v = found.get();
        if (v.isNumber()) {
            return OptionalDouble.of(v.doubleValue());
        }
        if (v.isTextual()) {
            try {
                return OptionalDouble.of(Double.parseDouble(v.textValue().trim()));
            } catch (NumberFormatException e) {
                throw notA(key, "\"" + v.textValue() + "\"", "a number; allowed: " + allowed);
            }
        }
        throw notA(key, v.toString(), "a number; allowed: " + allowed);
    }

    /** Returns the boolean under {@code key}: {@code true}/{@code false}, or those words as a string. */
    public Optional<Boolean> bool(String key) {
        return value(key).map(v -> {
            if (v.isBoolean()) {
                return v.booleanValue();
            }
            if (v.isTextual() && (v.textValue().equalsIgnoreCase("true") || v.textValue().equalsIgnoreCase("false"))) {
                return Boolean.parseBoolean(v.textValue());
            }
            throw notA(key, v.toString(), "a boolean; allowed: true, false");
        });
    }

    /** Returns the text under {@code key}; a number is taken as its text, a boolean or structure is refused. */
    public Optional<String> string(String key) {
        return value(key).map(v -> {
            if (!v.isValueNode() || v.isBoolean()) {
                throw notA(key, v.toString(), "a string");
            }
            return v.asText();
        });
    }

    /** Returns the string under {@code key} without ever echoing the value in an error: it may be a secret. */
    public Optional<String> secret(String key) {
        return value(key).map(v -> {
            if (!v.isTextual()) {
                throw new ConfigException(ConfigException.Reason.WRONG_TYPE,
                        path(key) + " is not a string (value hidden: it may be a secret)");
            }
            return v.textValue();
        });
    }

    /** Returns the array of strings under {@code key}. */
    public Optional<List<String>> strings(String key) {
        return value(key).map(v -> {
            if (!v.isArray()) {
                throw notA(key, v.toString(), "an array of strings");
            }
            List<String> values = new ArrayList<>();
            for (JsonNode item : v) {
                if (!item.isTextual()) {
                    throw new ConfigException(ConfigException.Reason.WRONG_TYPE,
                            path(key) + " holds " + item + ", which is not a string");
                }
                values.add(item.textValue());
            }
            return values;
        });
    }

    /**
     * Applies the unknown-key rule to every key of the section that no getter asked for.
     *
     * @return the warnings, one per unknown key ({@link UnknownKeys#WARN}); empty when there are none
     * @throws ConfigException WRONG_TYPE for the first unknown key ({@link UnknownKeys#REFUSE})
     */
    public List<String> finish(UnknownKeys policy) {
        List<String> warnings = new ArrayList<>();
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String key = names.next();
            if (used.contains(key)) {
                continue;
            }
            if (policy == UnknownKeys.REFUSE) {
                throw new ConfigException(ConfigException.Reason.WRONG_TYPE, "unknown configuration key " + path(key)
                        + "; known: " + String.join(", ", asked));
            }
            warnings.add("unknown configuration key " + path(key) + " ignored");
        }
        return warnings;
    }

    private String path(String key) {
        return name + "." + key;
    }

    private ConfigException notA(String key, String shown, String what) {
        return new ConfigException(ConfigException.Reason.WRONG_TYPE, path(key) + " = " + shown + " is not " + what);
    }
}
