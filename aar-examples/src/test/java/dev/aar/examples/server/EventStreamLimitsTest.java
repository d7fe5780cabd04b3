package dev.aar.examples.server;

import static dev.aar.examples.server.SignalRRoutesTest.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aar.core.Aar;
import dev.aar.core.event.Phase;
import dev.aar.core.event.ProgressUpdate;
import dev.aar.core.project.Project;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 item 4 over real sockets: hundreds of event streams against the caps per key and per
 * server, and clients that stop reading, for plain SSE streams and SignalR connections alike.
 */
class EventStreamLimitsTest {

    @TempDir
    Path dir;

    private final ObjectMapper json = ServerJson.create();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Socket> sockets = new ArrayList<>();
    private Aar aar;
    private EventHub hub;
    private AarServer server;
    private String keyA;
    private String keyA2;
    private String keyB;
    private Project project;
    private Project projectB;

    private void start(EventStreamLimits limits) throws Exception {
        aar = Aar.builder().dataDirectory(dir.resolve("data")).build();
        ApiKeyStore keys = new ApiKeyStore(dir.resolve("keys.json"), json, Clock.systemUTC());
        keyA = keys.issue("org-a", "a").secret();
        keyA2 = keys.issue("org-a", "a2").secret();
        keyB = keys.issue("org-b", "b").secret();
        hub = new EventHub(json, limits);
        server = AarServer.create(aar, keys, hub, json, null).start("127.0.0.1", 0);
        project = aar.analysis().createProject("org-a", "demo.zip", new ByteArrayInputStream(TestZips.smallProject()));
        projectB = aar.analysis().createProject("org-b", "demo.zip", new ByteArrayInputStream(TestZips.smallProject()));
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.close();
            aar.close();
        }
    }

    /** An SSE request on a raw socket; returns the status line and headers (the body stays unread). */
    private String openRaw(String key, String projectId, Socket socket) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
        socket.setSoTimeout(30_000);
        sockets.add(socket);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /hubs/analysis?projectId=" + projectId + "&access_token=" + key + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    private String open(String key, String projectId) throws IOException {
        return openRaw(key, projectId, new Socket());
    }

    @Test
    void hundredsOfStreamsMeetTheCapsPerKeyAndPerServerWhileOtherKeysAreServed() throws Exception {
        start(EventStreamLimits.builder().maxStreamsPerKey(150).maxStreams(300).heartbeat(Duration.ofMillis(200)).build());
        for (int i = 0; i < 150; i++) {
            assertThat(open(keyA, project.id())).as("stream %d", i).startsWith("HTTP/1.1 200");
        }
        String refused = open(keyA, project.id());
        assertThat(refused).startsWith("HTTP/1.1 429").containsIgnoringCase("Retry-After:");
        // the key's SignalR connections count against the same cap
        HttpResponse<String> negotiate = HubClient.negotiate(http, server.port(), keyA);
        assertThat(negotiate.statusCode()).isEqualTo(429);
        assertThat(negotiate.headers().firstValue("Retry-After")).isPresent();
        assertThat(negotiate.body()).contains("events.too_many_streams");

        // another key of the same organization, and another organization, are still served
        assertThat(open(keyB, projectB.id())).startsWith("HTTP/1.1 200");
        for (int i = 0; i < 149; i++) {
            assertThat(open(keyA2, project.id())).as("stream %d of the second key", i).startsWith("HTTP/1.1 200");
        }
        assertThat(hub.openStreams()).isEqualTo(300);
        String full = open(keyB, projectB.id());
        assertThat(full).startsWith("HTTP/1.1 503").containsIgnoringCase("Retry-After:");
        assertThat(HubClient.negotiate(http, server.port(), keyB).statusCode()).isEqualTo(503);

        // every open stream still gets events
        hub.onEvent(new ProgressUpdate(project.id(), "job-1", Phase.INDEXING, 50, 1, 2, null));
        try (BufferedReader r = new BufferedReader(new InputStreamReader(sockets.get(0).getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null && !line.equals("event: ProgressUpdate")) {
                // the opening comment and heartbeats come first
            }
            assertThat(line).isEqualTo("event: ProgressUpdate");

            // clients that go away free their slots (found by the next heartbeat) for other keys
            for (int i = 1; i <= 10; i++) {
                sockets.get(i).close();
            }
            assertThat(waitUntil(() -> hub.openStreams() <= 290)).isTrue();
            assertThat(open(keyB, projectB.id())).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aClientThatStopsReadingIsDroppedWhileAnotherKeepsReceiving() throws Exception {
        start(EventStreamLimits.builder().retainedEventsPerProject(50).maxQueuedEvents(100)
                .heartbeat(Duration.ofMillis(100)).writeTimeout(Duration.ofSeconds(5)).build());
        Socket stalled = new Socket();
        stalled.setReceiveBufferSize(4096);
        assertThat(openRaw(keyA, project.id(), stalled)).startsWith("HTTP/1.1 200");
        try (HubClient stalledHub = HubClient.connect(http, json, server.port(), keyA2);
                SseReader reader = SseReader.open(http, "http://127.0.0.1:" + server.port()
                        + "/hubs/analysis?projectId=" + project.id(), keyA, null)) {
            assertThat(stalledHub.invoke("1", "SubscribeToProject", project.id()).has("error")).isFalse();
            stalledHub.stopReading();
            assertThat(hub.openStreams()).isEqualTo(3);

            // 40 rounds of 50 events of ~8 KiB: far more than the socket buffers of the two that do not read
            String padding = "x".repeat(8 * 1024);
            int received = 0;
            for (int round = 0; round < 40; round++) {
                for (int i = 0; i < 50; i++) {
                    hub.onEvent(new ProgressUpdate(project.id(), "job-1", Phase.ANALYZING, i, i, 50, padding));
                }
                received += reader.read(50).size();
            }
            assertThat(received).isEqualTo(2000);
            assertThat(waitUntil(() -> hub.openStreams() == 1)).as("both stalled clients dropped").isTrue();

            // the reader goes on: heartbeats keep its stream open and new events arrive
            hub.onEvent(new ProgressUpdate(project.id(), "job-1", Phase.SAVING, 100, 1, 1, "last"));
            assertThat(reader.read(1).get(0).data()).contains("\"phase\":\"Saving\"");
            assertThat(hub.openStreams()).isEqualTo(1);
        }
        // the stalled socket ends once what is in its buffers has been read
        InputStream in = stalled.getInputStream();
        byte[] buf = new byte[64 * 1024];
        try {
            while (in.read(buf) >= 0) {
                // drain
            }
        } catch (IOException reset) {
            // dropped with a reset: also the end
        }
    }

    @Test
    void historyOfProjectsNobodyWatchesIsBoundedAndTheLeastRecentIsForgotten() throws Exception {
        start(EventStreamLimits.builder().retainedEventsPerProject(10).maxUnwatchedProjects(3).build());
        for (int p = 0; p < 20; p++) {
            for (int i = 0; i < 30; i++) {
                hub.onEvent(new ProgressUpdate("project-" + p, "job", Phase.INDEXING, i, i, 30, null));
            }
        }
        assertThat(hub.retainedProjects()).isLessThanOrEqualTo(4);
        // a watched project is never forgotten, however many others come and go
        try (SseReader watcher = SseReader.open(http, "http://127.0.0.1:" + server.port() + "/hubs/analysis?projectId="
                + project.id(), keyA, null)) {
            hub.onEvent(new ProgressUpdate(project.id(), "job", Phase.INDEXING, 1, 1, 2, null));
            for (int p = 20; p < 40; p++) {
                hub.onEvent(new ProgressUpdate("project-" + p, "job", Phase.INDEXING, 1, 1, 2, null));
            }
            assertThat(watcher.read(1)).hasSize(1);
        }
        // a client resuming in a forgotten project is told that events were lost
        try (SseReader late = SseReader.open(http, "http://127.0.0.1:" + server.port() + "/hubs/analysis?projectId="
                + projectB.id(), keyB, "1")) {
            hub.onEvent(new ProgressUpdate(projectB.id(), "job", Phase.INDEXING, 1, 1, 2, null));
            assertThat(late.read(2)).extracting(SseReader.Event::name).containsExactly(HubRoutes.EVENTS_LOST, "ProgressUpdate");
        }
    }
}
