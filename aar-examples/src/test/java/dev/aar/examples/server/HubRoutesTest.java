package dev.aar.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aar.core.Aar;
import dev.aar.core.event.Finding;
import dev.aar.core.event.FindingUpdate;
import dev.aar.core.event.JobCompleted;
import dev.aar.core.event.Phase;
import dev.aar.core.event.ProgressUpdate;
import dev.aar.core.event.Severity;
import dev.aar.core.project.Project;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubRoutesTest {

    @TempDir
    Path dir;

    private Aar aar;
    private EventHub hub;
    private AarServer server;
    private String keyA;
    private String keyB;
    private Project project;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = ServerJson.create();

    @BeforeEach
    void start() throws Exception {
        aar = Aar.builder().dataDirectory(dir.resolve("data")).build();
        ApiKeyStore keys = new ApiKeyStore(dir.resolve("keys.json"), json, Clock.systemUTC());
        keyA = keys.issue("org-a", "a").secret();
        keyB = keys.issue("org-b", "b").secret();
        hub = new EventHub(json);
        server = AarServer.create(aar, keys, hub, json, null).start("127.0.0.1", 0);
        project = aar.analysis().createProject("org-a", "demo.zip", new ByteArrayInputStream(TestZips.smallProject()));
    }

    @AfterEach
    void stop() {
        server.close();
        aar.close();
    }

    private String url() {
        return "http://127.0.0.1:" + server.port() + "/hubs/analysis?projectId=" + project.id();
    }

    private void publish(int i) {
        hub.onEvent(new ProgressUpdate(project.id(), "job-1", Phase.INDEXING, i * 10.0, i, 10, "step " + i));
    }

    @Test
    void reconnectingWithLastEventIdGetsExactlyTheMissedEventsOnce() throws Exception {
        List<SseReader.Event> first;
        try (SseReader sse = SseReader.open(http, url(), keyA, null)) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(sse.contentType()).startsWith("text/event-stream");
            publish(1);
            publish(2);
            publish(3);
            first = sse.read(3);
        }
        // the client is gone: these happen while it is away
        publish(4);
        hub.onEvent(new FindingUpdate(project.id(), "job-1",
                new Finding(Severity.HIGH, "secrets", "hard-coded password", "Config.java", 4, null)));
        publish(5);

        List<SseReader.Event> second;
        try (SseReader sse = SseReader.open(http, url(), keyA, first.get(2).id())) {
            assertThat(sse.status()).isEqualTo(200);
            second = new java.util.ArrayList<>(sse.read(3));
            hub.onEvent(new JobCompleted(project.id(), "job-1", true, "report-1", null));
            second.addAll(sse.read(1));
        }

        assertThat(first).extracting(SseReader.Event::name).containsOnly("ProgressUpdate");
        assertThat(second).extracting(SseReader.Event::name)
                .containsExactly("ProgressUpdate", "FindingUpdate", "ProgressUpdate", "JobCompleted");
        List<Long> ids = java.util.stream.Stream.concat(first.stream(), second.stream())
                .map(e -> Long.parseLong(e.id())).toList();
        assertThat(ids).doesNotHaveDuplicates().isSorted().hasSize(7);
        assertThat(ids.get(6) - ids.get(0)).isEqualTo(6); // consecutive: nothing skipped

        JsonNode progress = json.readTree(first.get(0).data());
        assertThat(progress.get("projectId").asText()).isEqualTo(project.id());
        assertThat(progress.get("phase").asText()).isEqualTo("Indexing");
        assertThat(progress.get("progressPercent").asDouble()).isEqualTo(10.0);
        assertThat(progress.get("processedFiles").asInt()).isEqualTo(1);
        assertThat(progress.get("totalFiles").asInt()).isEqualTo(10);
        JsonNode finding = json.readTree(second.get(1).data()).get("finding");
        assertThat(finding.get("severity").asText()).isNotBlank();
        assertThat(finding.get("rule").asText()).isEqualTo("secrets");
        assertThat(finding.get("line").asInt()).isEqualTo(4);
        JsonNode done = json.readTree(second.get(3).data());
        assertThat(done.get("isSuccess").asBoolean()).isTrue();
        assertThat(done.get("reportId").asText()).isEqualTo("report-1");
    }

    @Test
    void lastEventIdMayComeAsAQueryParameter() throws Exception {
        publish(1);
        publish(2);
        List<SseReader.Event> all;
        try (SseReader sse = SseReader.open(http, url() + "&lastEventId=0", keyA, null)) {
            all = sse.read(2);
        }
        try (SseReader sse = SseReader.open(http, url() + "&lastEventId=" + all.get(0).id(), keyA, null)) {
            assertThat(sse.read(1)).extracting(SseReader.Event::id).containsExactly(all.get(1).id());
        }
    }

    @Test
    void anotherOrganizationsProjectIsNotFound() throws Exception {
        try (SseReader sse = SseReader.open(http, url(), keyB, null)) {
            assertThat(sse.status()).isEqualTo(404);
            assertThat(sse.contentType()).contains("json");
        }
    }

    @Test
    void refusesMissingKeyMissingProjectAndBadLastEventId() throws Exception {
        try (SseReader sse = SseReader.open(http, url(), null, null)) {
            assertThat(sse.status()).isEqualTo(401);
        }
        try (SseReader sse = SseReader.open(http, "http://127.0.0.1:" + server.port() + "/hubs/analysis", keyA, null)) {
            assertThat(sse.status()).isEqualTo(400);
            assertThat(sse.body()).contains("projectId");
        }
        try (SseReader sse = SseReader.open(http, url(), keyA, "yesterday")) {
            assertThat(sse.status()).isEqualTo(400);
            assertThat(sse.body()).contains("Last-Event-ID");
        }
    }

    @Test
    void tellsTheClientWhenEventsWereNoLongerRetained() throws Exception {
        hub.close();
        server.close();
        ApiKeyStore keys = new ApiKeyStore(dir.resolve("keys.json"), json, Clock.systemUTC());
        hub = new EventHub(json, 2);
        server = AarServer.create(aar, keys, hub, json, null).start("127.0.0.1", 0);
        for (int i = 1; i <= 5; i++) {
            publish(i);
        }
        try (SseReader sse = SseReader.open(http, url(), keyA, "1")) {
            List<SseReader.Event> events = sse.read(3);
            assertThat(events).extracting(SseReader.Event::name)
                    .containsExactly(HubRoutes.EVENTS_LOST, "ProgressUpdate", "ProgressUpdate");
        }
    }
}
