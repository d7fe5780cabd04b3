package dev.aar.core.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aar.core.event.Phase;
import dev.aar.core.internal.Json;
import dev.aar.queue.Checkpoint;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * A phased job's progress as stored in {@link Checkpoint#data()}:
 * {@code {"completedPhases":[...], "outputs":{phase: json}, "state": json, "result": id}}.
 */
final class PhaseState {


    private final ObjectNode data;
    private String currentPhase;
    private String lastProcessedFile;
    private int processedFiles;

    private PhaseState(ObjectNode data) {
        this.data = data;
        if (!data.has("completedPhases")) {
            data.putArray("completedPhases");
        }
        if (!data.has("outputs")) {
            data.putObject("outputs");
        }
    }

    static PhaseState from(Optional<Checkpoint> checkpoint) {
        if (checkpoint.isEmpty()) {
            return new PhaseState(Json.object());
        }
        Checkpoint c = checkpoint.get();
        PhaseState s;
        try {
            JsonNode node = Json.read(c.data());
            s = new PhaseState(node instanceof ObjectNode o ? o : Json.object());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("checkpoint of job " + c.jobId() + " holds invalid JSON", e);
        }
        s.currentPhase = c.phase();
        s.lastProcessedFile = c.lastProcessedFile();
        s.processedFiles = c.processedFileCount();
        return s;
    }

    boolean isCompleted(Phase phase) {
        for (JsonNode n : data.get("completedPhases")) {
            if (n.asText().equals(phase.displayName())) {
                return true;
            }
        }
        return false;
    }

    String currentPhase() {
        return currentPhase;
    }

    String lastProcessedFile() {
        return lastProcessedFile;
    }

    int processedFiles() {
        return processedFiles;
    }

    String phaseStateJson() {
        JsonNode s = data.get("state");
        return s == null || s.isNull() ? null : s.toString();
    }

    Optional<JsonNode> output(Phase phase) {
        return Optional.ofNullable(data.get("outputs").get(phase.displayName()));
    }

    void setOutput(Phase phase, String json) {
        ((ObjectNode) data.get("outputs")).set(phase.displayName(), parse(json));
    }

    String result() {
        JsonNode r = data.get("result");
        return r == null || r.isNull() ? null : r.asText();
    }

    void setResult(String id) {
        data.put("result", id);
    }

    /** Saves a mid-phase checkpoint. */
    void save(JobContext job, Phase phase, String lastFile, int processed, int total, String phaseState) {
        data.set("state", phaseState == null ? null : parse(phaseState));
        currentPhase = phase.displayName();
        job.saveCheckpoint(currentPhase, lastFile, processed, total, data.toString());
    }

    /** Marks {@code phase} done and saves a checkpoint pointing at the start of {@code next}. */
    void complete(JobContext job, Phase phase, Phase next) {
        ((ArrayNode) data.get("completedPhases")).add(phase.displayName());
        data.remove("state");
        currentPhase = (next == null ? phase : next).displayName();
        lastProcessedFile = null;
        processedFiles = 0;
        job.saveCheckpoint(currentPhase, null, 0, 0, data.toString());
    }

    private static JsonNode parse(String json) {
        try {
            return Json.read(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
