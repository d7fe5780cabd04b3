package dev.aar.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code index.json} that 'aar analyze' leaves beside {@code index.db}: which project and model it holds. */
final class IndexMeta {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private IndexMeta() {
    }

    /** Writes the metadata of a finished run into {@code out}. */
    static void write(Path out, String projectId, String jobId, String reportId, String model) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("projectId", projectId);
        meta.put("jobId", jobId);
        meta.put("reportId", reportId);
        meta.put("embeddingModel", model);
        Files.writeString(out.resolve(SearchCommand.META_FILE), JSON.writeValueAsString(meta));
    }

    /** Returns the project an earlier run left in {@code out}, or null when there is none (or it is unreadable). */
    static String projectIdIn(Path out) {
        Path meta = out.resolve(SearchCommand.META_FILE);
        if (!Files.isRegularFile(meta)) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(meta.toFile());
            String id = node.path("projectId").asText("");
            return id.isBlank() ? null : id;
        } catch (IOException e) {
            return null; // a damaged index.json: the new run overwrites it, the old chunks stay
        }
    }
}
