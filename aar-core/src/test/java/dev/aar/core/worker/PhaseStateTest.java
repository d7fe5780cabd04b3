package dev.aar.core.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aar.core.event.Phase;
import dev.aar.core.internal.Json;
import dev.aar.queue.Checkpoint;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each phase's own cursor in one checkpoint, and checkpoints written when one phase ran at a time. */
class PhaseStateTest {

    private static final List<Phase> ORDER = List.of(Phase.EXTRACTING, Phase.INDEXING, Phase.ANALYZING, Phase.SAVING);

    @Test
    void twoPhasesInFlightEachResumeFromTheirOwnCursor() {
        StubJob job = new StubJob();
        PhaseState state = PhaseState.from(Optional.empty(), ORDER);
        state.complete(job, Phase.EXTRACTING);
        state.save(job, Phase.ANALYZING, "secrets", 2, 5, "{\"finished\":[\"inventory\",\"secrets\"]}");
        state.save(job, Phase.INDEXING, "src/B.java", 300, 15_000, "{\"tokens\":1234}");
        state.save(job, Phase.ANALYZING, "layering", 3, 5, "{\"finished\":[\"inventory\",\"secrets\",\"layering\"]}");

        // the row names the first unfinished phase with its own cursor, whoever saved last
        assertThat(job.last.phase()).isEqualTo("Indexing");
        assertThat(job.last.lastProcessedFile()).isEqualTo("src/B.java");
        assertThat(job.last.processedFileCount()).isEqualTo(300);
        assertThat(job.last.totalFileCount()).isEqualTo(15_000);

        PhaseState resumed = PhaseState.from(Optional.of(job.last), ORDER);
        assertThat(resumed.isCompleted(Phase.EXTRACTING)).isTrue();
        assertThat(resumed.cursor(Phase.INDEXING)).isEqualTo(new PhaseState.Cursor(300, 15_000, "src/B.java", "{\"tokens\":1234}"));
        assertThat(resumed.cursor(Phase.ANALYZING)).isEqualTo(new PhaseState.Cursor(3, 5, "layering",
                "{\"finished\":[\"inventory\",\"secrets\",\"layering\"]}"));
        assertThat(resumed.cursor(Phase.SAVING)).isNull();

        resumed.complete(job, Phase.INDEXING);
        assertThat(job.last.phase()).as("the row moves to the next unfinished phase").isEqualTo("Analyzing");
        assertThat(job.last.processedFileCount()).isEqualTo(3);
        assertThat(PhaseState.from(Optional.of(job.last), ORDER).cursor(Phase.INDEXING)).isNull();
    }

    @Test
    void aCheckpointOfOnePhaseAtATimeResumesThatPhase() {
        Checkpoint old = new Checkpoint("job-1", "p1", "Indexing", "src/File99.java", 100, 250,
                "{\"completedPhases\":[\"Extracting\"],\"outputs\":{\"Extracting\":{\"files\":250}},\"state\":{\"tokens\":77}}",
                Instant.EPOCH, Instant.EPOCH);

        PhaseState state = PhaseState.from(Optional.of(old), ORDER);

        assertThat(state.isCompleted(Phase.EXTRACTING)).isTrue();
        assertThat(state.cursor(Phase.INDEXING)).isEqualTo(new PhaseState.Cursor(100, 250, "src/File99.java", "{\"tokens\":77}"));
        assertThat(state.cursor(Phase.ANALYZING)).isNull();
        assertThat(state.output(Phase.EXTRACTING)).hasValueSatisfying(o -> assertThat(o.path("files").asInt()).isEqualTo(250));
    }

    @Test
    void everySaveHoldsTheWholeStateWhenOutputsAndStatesAreReusedBetweenSaves() throws Exception {
        StubJob job = new StubJob();
        PhaseState state = PhaseState.from(Optional.empty(), ORDER);
        state.setOutput(Phase.EXTRACTING, "{\"files\":3,\"names\":[\"a \\\"quoted\\\" name\",\"\u00e9\"]}");
        state.complete(job, Phase.EXTRACTING);
        state.save(job, Phase.ANALYZING, "secrets", 1, 5, "{\"findings\":[{\"rule\":\"r1\"}]}");
        for (int i = 1; i <= 3; i++) {
            state.save(job, Phase.INDEXING, "src/F" + i + ".java", i * 100, 900, "{\"tokens\":" + i + "}");
            JsonNode saved = Json.read(job.last.data());
            ObjectNode expected = (ObjectNode) Json.read("""
                    {"completedPhases":["Extracting"],
                     "outputs":{"Extracting":{"files":3,"names":["a \\"quoted\\" name","\u00e9"]}},
                     "inFlight":{"Analyzing":{"lastFile":"secrets","processed":1,"total":5,"state":{"findings":[{"rule":"r1"}]}},
                                 "Indexing":{"lastFile":"src/F%d.java","processed":%d,"total":900,"state":{"tokens":%d}}},
                     "state":{"tokens":%d}}""".formatted(i, i * 100, i, i));
            expected.set("elapsedMillis", saved.get("elapsedMillis"));
            assertThat((Object) saved).as("key order aside").isEqualTo(expected);
        }
        // a replaced state is written as replaced, and a completed phase's cursor leaves
        state.save(job, Phase.ANALYZING, "layering", 2, 5, "{\"findings\":[{\"rule\":\"r1\"},{\"rule\":\"r2\"}]}");
        state.setOutput(Phase.ANALYZING, "{\"findings\":[{\"rule\":\"r1\"},{\"rule\":\"r2\"},{\"rule\":\"r3\"}]}");
        state.complete(job, Phase.ANALYZING);
        JsonNode saved = Json.read(job.last.data());
        assertThat(saved.path("inFlight").has("Analyzing")).isFalse();
        assertThat(saved.path("outputs").path("Analyzing").path("findings")).hasSize(3);
        assertThat((Object) saved.path("state")).isEqualTo(Json.read("{\"tokens\":3}"));
        PhaseState resumed = PhaseState.from(Optional.of(job.last), ORDER);
        assertThat(resumed.output(Phase.EXTRACTING).orElseThrow().path("names").get(0).asText()).isEqualTo("a \"quoted\" name");
        assertThat(resumed.cursor(Phase.INDEXING)).isEqualTo(new PhaseState.Cursor(300, 900, "src/F3.java", "{\"tokens\":3}"));
    }
}
