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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SignalR hub protocol on {@code /hubs/analysis} over real sockets, driven at the message level. */
class SignalRRoutesTest {

    @TempDir
    Path dir;

    private final ObjectMapper json = ServerJson.create();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Aar aar;
    private EventHub hub;
    private AarServer server;
    private String keyA;
    private String keyA2;
    private String keyB;
    private Project project;

    @BeforeEach
    void start() throws Exception {
        start(EventStreamLimits.builder().heartbeat(Duration.ofMillis(200)).build());
    }

    private void start(EventStreamLimits limits) throws Exception {
        if (server != null) {
            server.close();
        }
        if (aar == null) {
            aar = Aar.builder().dataDirectory(dir.resolve("data")).build();
            project = aar.analysis().createProject("org-a", "demo.zip", new ByteArrayInputStream(TestZips.smallProject()));
        }
        ApiKeyStore keys = new ApiKeyStore(dir.resolve("keys-" + System.nanoTime() + ".json"), json, Clock.systemUTC());
        keyA = keys.issue("org-a", "a").secret();
        keyA2 = keys.issue("org-a", "a2").secret();
        keyB = keys.issue("org-b", "b").secret();
        hub = new EventHub(json, limits);
        server = AarServer.create(aar, keys, hub, json, null).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
        aar.close();
    }

    @Test
    void negotiateAnswersVersionOneWithBothTransportsForABearerKey() throws Exception {
        HttpResponse<String> r = HubClient.negotiate(http, server.port(), keyA);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("negotiateVersion").asInt()).isEqualTo(1);
        assertThat(body.get("connectionId").asText()).isNotBlank();
        assertThat(body.get("connectionToken").asText()).isNotBlank().isNotEqualTo(body.get("connectionId").asText())
                .matches("[A-Za-z0-9_-]+");
        assertThat(body.get("availableTransports").findValuesAsText("transport"))
                .containsExactly("WebSockets", "ServerSentEvents");

        assertThat(HubClient.negotiate(http, server.port(), "aar_wrong").statusCode()).isEqualTo(401);
        HttpResponse<String> noKey = http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + server.port() + "/hubs/analysis/negotiate?negotiateVersion=1"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noKey.statusCode()).isEqualTo(401);
    }

    @Test
    void subscribedClientReceivesTheSpecsEventsAsInvocations() throws Exception {
        try (HubClient client = HubClient.connect(http, json, server.port(), keyA)) {
            JsonNode done = client.invoke("1", "SubscribeToProject", project.id());
            assertThat(done.has("error")).as(done.toString()).isFalse();
            assertThat(done.has("result")).isTrue();

            // not one of the spec's client methods: a SignalR client would warn about it, so it is not sent
            hub.onEvent(new dev.aar.core.event.JobQueued(project.id(), "job-1", "Normal"));
            hub.onEvent(new ProgressUpdate(project.id(), "job-1", Phase.ANALYZING, 37.5, 3, 8, null));
            hub.onEvent(new FindingUpdate(project.id(), "job-1",
                    new Finding(Severity.HIGH, "secrets", "hard-coded password", "Config.java", 4, null)));
            hub.onEvent(new JobCompleted(project.id(), "job-1", true, "report-1", null));

            JsonNode progress = client.next(m -> m.path("type").asInt() == 1);
            assertThat(progress.get("target").asText()).isEqualTo("ProgressUpdate");
            assertThat(progress.has("invocationId")).isFalse();
            JsonNode p = progress.get("arguments").get(0);
            assertThat(p.get("phase").asText()).isEqualTo("Analyzing");
            assertThat(p.get("progressPercent").asDouble()).isEqualTo(37.5);
            assertThat(p.get("processedFiles").asInt()).isEqualTo(3);
            assertThat(p.get("totalFiles").asInt()).isEqualTo(8);
            JsonNode finding = client.next(m -> m.path("type").asInt() == 1);
            assertThat(finding.get("target").asText()).isEqualTo("FindingUpdate");
            assertThat(finding.get("arguments").get(0).get("finding").get("severity").asText()).isEqualTo("High");
            assertThat(finding.get("arguments").get(0).get("finding").get("description").asText()).isEqualTo("hard-coded password");
            JsonNode completed = client.next(m -> m.path("type").asInt() == 1);
            assertThat(completed.get("target").asText()).isEqualTo("JobCompleted");
            assertThat(completed.get("arguments").get(0).get("isSuccess").asBoolean()).isTrue();
            assertThat(completed.get("arguments").get(0).get("reportId").asText()).isEqualTo("report-1");

            assertThat(client.invoke("2", "UnsubscribeFromProject", project.id()).has("error")).isFalse();
            hub.onEvent(new JobCompleted(project.id(), "job-2", true, "report-2", null));
            // pings keep coming, the unsubscribed project's event does not
            for (int i = 0; i < 3; i++) {
                assertThat(client.next().get("type").asInt()).isEqualTo(6);
            }
        }
    }

    @Test
    void anotherOrganizationsProjectIsAnErrorCompletionAndNothingLeaks() throws Exception {
        try (HubClient other = HubClient.connect(http, json, server.port(), keyB)) {
            JsonNode done = other.invoke("1", "SubscribeToProject", project.id());
            assertThat(done.get("error").asText()).contains("not found");
            assertThat(other.invoke("2", "NoSuchMethod", "x").get("error").asText()).contains("does not exist");
            hub.onEvent(new JobCompleted(project.id(), "job-1", true, "report-1", null));
            for (int i = 0; i < 3; i++) {
                assertThat(other.next().get("type").asInt()).as("only pings").isEqualTo(6);
            }
        }
    }

    @Test
    void aConnectionTokenIsUsableOnlyByItsKeyAndOnlyOnce() throws Exception {
        String token = json.readTree(HubClient.negotiate(http, server.port(), keyA).body()).get("connectionToken").asText();
        String sse = "http://127.0.0.1:" + server.port() + "/hubs/analysis?id=" + token + "&access_token=";
        HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(URI.create(sse + keyA2))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(foreign.statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(sse + keyB))
                .POST(HttpRequest.BodyPublishers.ofString("{}\u001e")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(404);
        HttpResponse<String> early = http.send(HttpRequest.newBuilder(URI.create(sse + keyA))
                .POST(HttpRequest.BodyPublishers.ofString("{}\u001e")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(early.statusCode()).as("no event stream to answer on yet").isEqualTo(409);

        try (SseReader first = SseReader.open(http, sse + keyA, null, null)) {
            assertThat(first.status()).isEqualTo(200);
            HttpResponse<String> second = http.send(HttpRequest.newBuilder(URI.create(sse + keyA))
                    .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(second.statusCode()).isEqualTo(409);
            // the handshake goes up by POST and comes back down the event stream
            HttpResponse<String> handshake = http.send(HttpRequest.newBuilder(URI.create(sse + keyA))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"protocol\":\"json\",\"version\":1}\u001e")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(handshake.statusCode()).isEqualTo(200);
            // SseReader trims the data, record separator included
            assertThat(first.read(1).get(0).data()).isEqualTo("{}");
        }
    }

    @Test
    void aSilentClientIsClosedAndServerShutdownAsksClientsToReconnect() throws Exception {
        start(EventStreamLimits.builder().heartbeat(Duration.ofMillis(100)).clientTimeout(Duration.ofMillis(600)).build());
        try (HubClient silent = HubClient.connect(http, json, server.port(), keyA)) {
            JsonNode close = silent.next(m -> m.path("type").asInt() == 7);
            assertThat(close.get("error").asText()).contains("client timeout");
            assertThat(close.has("allowReconnect")).isFalse();
            assertThat(silent.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
        }
        assertThat(waitUntil(() -> hub.openStreams() == 0)).isTrue();

        start(EventStreamLimits.builder().heartbeat(Duration.ofMillis(100)).build());
        try (HubClient client = HubClient.connect(http, json, server.port(), keyA)) {
            server.close();
            JsonNode close = client.next(m -> m.path("type").asInt() == 7);
            assertThat(close.get("allowReconnect").asBoolean()).isTrue();
            assertThat(close.has("error")).isFalse();
        }
    }

    @Test
    void aBadHandshakeIsAnsweredWithAnErrorAndTheConnectionEnds() throws Exception {
        String token = json.readTree(HubClient.negotiate(http, server.port(), keyA).body()).get("connectionToken").asText();
        String sse = "http://127.0.0.1:" + server.port() + "/hubs/analysis?id=" + token + "&access_token=" + keyA;
        try (SseReader stream = SseReader.open(http, sse, null, null)) {
            http.send(HttpRequest.newBuilder(URI.create(sse))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"protocol\":\"messagepack\",\"version\":1}\u001e")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(stream.read(1).get(0).data()).contains("\"error\"").contains("messagepack");
        }
        assertThat(waitUntil(() -> hub.openStreams() == 0)).isTrue();
    }

    static boolean waitUntil(java.util.function.BooleanSupplier condition) {
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(condition::getAsBoolean);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }
}
