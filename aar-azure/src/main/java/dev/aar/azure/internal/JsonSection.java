package dev.aar.azure.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.aar.core.error.ConfigException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * One optional section of {@code appsettings.json}, read with case-insensitive keys as .NET does;
 * remembers which keys were asked for so that {@link #refuseUnknownKeys()} can name a typo.
 */
public final class JsonSection {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.ALLOW_COMMENTS).enable(JsonParser.Feature.ALLOW_TRAILING_COMMA).build();

    private final String name;
    private final JsonNode node;
    private final List<String> known = new ArrayList<>();

    private JsonSection(String name, JsonNode node) {
        this.name = name;
        this.node = node;
    }

    /** Returns the section {@code name} of the JSON document {@code json} (called {@code source} in messages), if present. */
    public static Optional<JsonSection> of(String json, String source, String name) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ConfigException(ConfigException.Reason.MALFORMED,
                    "configuration file " + source + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode section = root == null ? null : field(root, name);
        if (section == null || section.isNull()) {
            return Optional.empty();
        }
        if (!section.isObject()) {
            throw new ConfigException(ConfigException.Reason.WRONG_TYPE, name + " must be a JSON object");
        }
        return Optional.of(new JsonSection(name, section));
    }

    /** Returns the text value of {@code key}, if set. */
    public Optional<String> text(String key) {
        return value(key).map(v -> {
            if (!v.isTextual()) {
                throw wrongType(key, v, "a string");
            }
            return v.textValue();
        });
    }

    /** Returns the whole-number value of {@code key}, if set. */
    public Optional<Integer> whole(String key) {
        return value(key).map(v -> {
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw wrongType(key, v, "a whole number");
            }
            return v.intValue();
        });
    }

    /** Returns the boolean value of {@code key}, if set. */
    public Optional<Boolean> bool(String key) {
        return value(key).map(v -> {
            if (!v.isBoolean()) {
                throw wrongType(key, v, "true or false");
            }
            return v.booleanValue();
        });
    }

    /** Refuses any key that none of the getters asked for: almost always a typo. */
    public void refuseUnknownKeys() {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String key = names.next();
            if (known.stream().noneMatch(key::equalsIgnoreCase)) {
                throw new ConfigException(ConfigException.Reason.WRONG_TYPE, "unknown configuration key " + name + "."
                        + key + "; known: " + String.join(", ", new TreeSet<>(known)));
            }
        }
    }

    private Optional<JsonNode> value(String key) {
        known.add(key);
        JsonNode v = field(node, key);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
    }

    private ConfigException wrongType(String key, JsonNode v, String expected) {
        return new ConfigException(ConfigException.Reason.WRONG_TYPE, name + "." + key + " = " + v + " is not " + expected);
    }

    private static JsonNode field(JsonNode node, String name) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getKey().equalsIgnoreCase(name)) {
                return f.getValue();
            }
        }
        return null;
    }
}
