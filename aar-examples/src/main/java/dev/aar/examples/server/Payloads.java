package dev.aar.examples.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.aar.queue.Job;

/** Reads fields of a job's JSON payload (an analysis job carries {@code projectId} and {@code ownerId}). */
final class Payloads {

    private Payloads() {
    }

    /** Returns the job's payload as a JSON tree, or a missing node when the payload is not JSON. */
    static JsonNode tree(ObjectMapper json, Job job) {
        try {
            return json.readTree(job.payload());
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }

    /** Returns the payload's top-level text field, or null when absent or when the payload is not JSON. */
    static String field(ObjectMapper json, Job job, String name) {
        return field(tree(json, job), name);
    }

    /** Returns the parsed payload's top-level text field, or null when absent. */
    static String field(JsonNode payload, String name) {
        String v = payload.path(name).asText(null);
        return v == null || v.isEmpty() ? null : v;
    }
}
