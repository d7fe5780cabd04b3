package dev.aar.core.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.util.Iterator;

/** The JSON readers aar-core shares: strict JSON for data, and the lenient {@code appsettings.json} dialect. */
public final class Json {

    private static final ObjectMapper STRICT = new ObjectMapper();
    // appsettings.json files often carry comments and trailing commas, which .NET accepts
    private static final ObjectMapper SETTINGS = JsonMapper.builder()
            .enable(JsonParser.Feature.ALLOW_COMMENTS)
            .enable(JsonParser.Feature.ALLOW_TRAILING_COMMA)
            .build();

    private Json() {
    }

    /** Parses strict JSON. */
    public static JsonNode read(String json) throws JsonProcessingException {
        return STRICT.readTree(json);
    }

    /** Parses a configuration file, allowing comments and trailing commas. */
    public static JsonNode readSettings(String json) throws JsonProcessingException {
        return SETTINGS.readTree(json);
    }

    /** Returns a generator of strict JSON into {@code out}; it can write trees. */
    public static JsonGenerator generator(Writer out) throws IOException {
        return STRICT.createGenerator(out);
    }

    /** Returns a new empty JSON object. */
    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /**
     * Returns the key of {@code object} that equals {@code name} ignoring case (configuration keys are
     * case-insensitive, as in .NET), or null if there is none.
     */
    public static String key(JsonNode object, String name) {
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (n.equalsIgnoreCase(name)) {
                return n;
            }
        }
        return null;
    }
}
