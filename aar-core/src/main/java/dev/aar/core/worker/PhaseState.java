package dev.aar.core.worker;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aar.core.event.Phase;
import dev.aar.core.internal.Json;
import dev.aar.queue.Checkpoint;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A phased job's progress as stored in {@link Checkpoint#data()}:
 * {@code {"completedPhases":[...], "outputs":{phase: json}, "inFlight":{phase: cursor}, "state": json,
 * "elapsedMillis": n, "result": id}}.
 *
 * <p>Phases may run together, so each unfinished phase keeps its own cursor under {@code inFlight}
 * ({@code {"lastFile", "processed", "total", "state"}}). The checkpoint's row (phase, last file, counts)
 * and the top-level {@code state} describe the first unfinished phase in running order, as a checkpoint
 * of one phase at a time did; a checkpoint written that way (no {@code inFlight}) is read as the cursor
 * of its row's phase. Every method is synchronized: the phases of one attempt save from their own threads,
 * and saves must reach the store in the order their data was built.
 */
final class PhaseState {

    private static final String COMPLETED = "completedPhases";
    private static final String OUTPUTS = "outputs";
    private static final String IN_FLIGHT = "inFlight";
    private static final String STATE = "state";
    private static final String ELAPSED = "elapsedMillis";

    /** Where one phase stopped: files done, the last of them, and the phase's own JSON state (or null). */
    record Cursor(int processed, int total, String lastFile, String stateJson) {
    }

    private final ObjectNode data;
    /** The text of each output and state subtree as last saved, by identity: they are replaced, never changed in place. */
    private Map<JsonNode, String> rendered = new IdentityHashMap<>();
    private final List<Phase> order;
    private final long priorElapsedMillis;
    private final long attemptStartNanos = System.nanoTime();

    private PhaseState(ObjectNode data, List<Phase> order) {
        this.data = data;
        this.order = order;
        if (!data.has(COMPLETED)) {
            data.putArray(COMPLETED);
        }
        if (!data.has(OUTPUTS)) {
            data.putObject(OUTPUTS);
        }
        if (!(data.get(IN_FLIGHT) instanceof ObjectNode)) {
            data.putObject(IN_FLIGHT);
        }
        this.priorElapsedMillis = data.path(ELAPSED).asLong(0);
    }

    static PhaseState from(Optional<Checkpoint> checkpoint, List<Phase> order) {
        if (checkpoint.isEmpty()) {
            return new PhaseState(Json.object(), order);
        }
        Checkpoint c = checkpoint.get();
        PhaseState s;
        boolean oneAtATime;
        try {
            JsonNode node = Json.read(c.data());
            oneAtATime = !(node.get(IN_FLIGHT) instanceof ObjectNode);
            s = new PhaseState(node instanceof ObjectNode o ? o : Json.object(), order);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("checkpoint of job " + c.jobId() + " holds invalid JSON", e);
        }
        if (oneAtATime) {
            // written when one phase ran at a time: the row is the cursor of the phase it names
            ObjectNode inFlight = (ObjectNode) s.data.get(IN_FLIGHT);
            JsonNode state = s.data.get(STATE);
            boolean known = order.stream().anyMatch(p -> p.displayName().equals(c.phase()));
            if (known && (c.processedFileCount() > 0 || (state != null && !state.isNull()))) {
                inFlight.set(c.phase(), cursorNode(c.lastProcessedFile(), c.processedFileCount(), c.totalFileCount(),
                        state));
            }
        }
        return s;
    }

    synchronized boolean isCompleted(Phase phase) {
        for (JsonNode n : data.get(COMPLETED)) {
            if (n.asText().equals(phase.displayName())) {
                return true;
            }
        }
        return false;
    }

    /** Returns where {@code phase} stopped in an earlier attempt, or null when it starts afresh. */
    synchronized Cursor cursor(Phase phase) {
        JsonNode c = data.get(IN_FLIGHT).get(phase.displayName());
        if (c == null) {
            return null;
        }
        JsonNode last = c.get("lastFile");
        JsonNode state = c.get(STATE);
        return new Cursor(c.path("processed").asInt(0), c.path("total").asInt(0), last == null || last.isNull() ? null : last.asText(),
                state == null || state.isNull() ? null : state.toString());
    }

    synchronized Optional<JsonNode> output(Phase phase) {
        return Optional.ofNullable(data.get(OUTPUTS).get(phase.displayName()));
    }

    synchronized void setOutput(Phase phase, String json) {
        ((ObjectNode) data.get(OUTPUTS)).set(phase.displayName(), parse(json));
    }

    synchronized String result() {
        JsonNode r = data.get("result");
        return r == null || r.isNull() ? null : r.asText();
    }

    synchronized void setResult(String id) {
        data.put("result", id);
    }

    /** Wall time of the job so far: this attempt's plus what earlier attempts saved. */
    synchronized long elapsedMillis() {
        return priorElapsedMillis + (System.nanoTime() - attemptStartNanos) / 1_000_000;
    }

    /** Saves a mid-phase checkpoint of {@code phase}; the other phases' cursors are kept as they are. */
    synchronized void save(JobContext job, Phase phase, String lastFile, int processed, int total, String phaseState) {
        ((ObjectNode) data.get(IN_FLIGHT)).set(phase.displayName(),
                cursorNode(lastFile, processed, total, phaseState == null ? null : parse(phaseState)));
        write(job);
    }

    /** Marks {@code phase} done, drops its cursor and saves. */
    synchronized void complete(JobContext job, Phase phase) {
        ((ArrayNode) data.get(COMPLETED)).add(phase.displayName());
        ((ObjectNode) data.get(IN_FLIGHT)).remove(phase.displayName());
        write(job);
    }

    private void write(JobContext job) {
        data.put(ELAPSED, elapsedMillis());
        Phase row = order.stream().filter(p -> !isCompleted(p)).findFirst().orElse(order.get(order.size() - 1));
        JsonNode cursor = data.get(IN_FLIGHT).get(row.displayName());
        if (cursor == null) {
            data.remove(STATE);
            job.saveCheckpoint(row.displayName(), null, 0, 0, render());
            return;
        }
        data.set(STATE, cursor.get(STATE));
        JsonNode last = cursor.get("lastFile");
        job.saveCheckpoint(row.displayName(), last == null || last.isNull() ? null : last.asText(),
                cursor.path("processed").asInt(0), cursor.path("total").asInt(0), render());
    }

    /**
     * Returns {@link #data} as JSON text. The phases' outputs and states are most of it (an analysis
     * keeps its findings there: megabytes for a large project) and change only when replaced whole,
     * while a phase running beside them checkpoints every {@code CheckpointIntervalFiles} files; so
     * each of those subtrees is serialized once and its text reused until it is replaced. (On the JDK's
     * sources, 158 checkpoints of one job carried 135 MB of JSON, re-serialized at every save before.)
     */
    private String render() {
        Map<JsonNode, String> next = new IdentityHashMap<>();
        StringWriter text = new StringWriter(64 + rendered.values().stream().mapToInt(String::length).sum());
        try (JsonGenerator g = Json.generator(text)) {
            g.writeStartObject();
            for (Map.Entry<String, JsonNode> field : data.properties()) {
                g.writeFieldName(field.getKey());
                JsonNode value = field.getValue();
                switch (field.getKey()) {
                    case OUTPUTS -> {
                        g.writeStartObject();
                        for (Map.Entry<String, JsonNode> output : value.properties()) {
                            g.writeFieldName(output.getKey());
                            writeWhole(g, output.getValue(), next);
                        }
                        g.writeEndObject();
                    }
                    case IN_FLIGHT -> {
                        g.writeStartObject();
                        for (Map.Entry<String, JsonNode> phase : value.properties()) {
                            g.writeFieldName(phase.getKey());
                            g.writeStartObject();
                            for (Map.Entry<String, JsonNode> c : phase.getValue().properties()) {
                                g.writeFieldName(c.getKey());
                                writeWhole(g, c.getValue(), next);
                            }
                            g.writeEndObject();
                        }
                        g.writeEndObject();
                    }
                    case STATE -> writeWhole(g, value, next);
                    default -> g.writeTree(value);
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize a checkpoint", e); // a StringWriter does not fail
        }
        rendered = next; // what was replaced since the last save is dropped
        return text.toString();
    }

    private void writeWhole(JsonGenerator g, JsonNode node, Map<JsonNode, String> next) throws IOException {
        if (!node.isContainerNode()) {
            g.writeTree(node);
            return;
        }
        String json = rendered.get(node);
        if (json == null) {
            json = next.get(node);
        }
        if (json == null) {
            json = node.toString();
        }
        next.put(node, json);
        g.writeRawValue(json);
    }

    private static ObjectNode cursorNode(String lastFile, int processed, int total, JsonNode state) {
        ObjectNode n = Json.object();
        n.put("lastFile", lastFile);
        n.put("processed", processed);
        n.put("total", total);
        n.set(STATE, state);
        return n;
    }

    private static JsonNode parse(String json) {
        try {
            return Json.read(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
