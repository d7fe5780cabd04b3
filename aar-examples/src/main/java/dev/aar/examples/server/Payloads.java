package dev.aar.examples.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aar.queue.Job;

/** Reads fields of a job's JSON payload (an analysis job carries {@code projectId} and {@code ownerId}). */
final class Payloads {

    private Payloads() {
    }

    /** Returns the payload's top-level text field, or null when absent or when the payload is not JSON. */
    static String field(ObjectMapper json, Job job, String name) {
        try {
            String v = json.readTree(job.payload()).path(name).asText(null);
            return v == null || v.isEmpty() ? null : v;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Returns whether the job belongs to {@code organizationId}. */
    static boolean ownedBy(ObjectMapper json, Job job, String organizationId) {
        return organizationId.equals(field(json, job, "ownerId"));
    }
}
