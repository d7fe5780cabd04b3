package dev.aar.examples.server;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;

/**
 * Reads small JSON request bodies (at most {@link ServerLimits#maxJsonBytes()}, refused with 413
 * {@code request.body_too_large}) and their fields,
 * refusing malformed JSON with {@code request.malformed_json} and wrong fields with {@code request.invalid}.
 */
final class JsonBodies {

    private JsonBodies() {
    }

    /** Returns the body as a JSON object; an empty body reads as an empty object when {@code optional}. */
    static JsonNode object(Context ctx, ObjectMapper json, long maxBytes, boolean optional) {
        if (ctx.req().getContentLengthLong() > maxBytes) {
            throw new Problems.HttpProblem(HttpStatus.CONTENT_TOO_LARGE, "request.body_too_large",
                    "the request body is larger than the server's JSON body limit (" + maxBytes + " bytes)");
        }
        // a chunked body has no length to check: BodyLimitFilter stops the read one byte past the limit
        byte[] body = ctx.bodyAsBytes();
        if (body.length == 0 || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            if (optional) {
                return json.createObjectNode();
            }
            throw new Problems.HttpProblem(HttpStatus.BAD_REQUEST, "request.malformed_json",
                    "the body is empty; a JSON object was expected");
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JsonParseException e) {
            throw new Problems.HttpProblem(HttpStatus.BAD_REQUEST, "request.malformed_json",
                    "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Problems.HttpProblem(HttpStatus.BAD_REQUEST, "request.malformed_json",
                    "the body cannot be read as JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new Problems.HttpProblem(HttpStatus.BAD_REQUEST, "request.malformed_json",
                    "the body must be a JSON object");
        }
        return node;
    }

    /** Returns a string field, or null when absent or null; refuses other types. */
    static String text(JsonNode body, String field, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw Problems.invalid("'" + field + "' is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw Problems.invalid("'" + field + "' must be a string");
        }
        return v.asText();
    }

    /** Returns a required whole-number field. */
    static long wholeNumber(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            throw Problems.invalid("'" + field + "' is required");
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw Problems.invalid("'" + field + "' must be a whole number, was " + v);
        }
        return v.asLong();
    }
}
