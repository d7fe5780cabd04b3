package dev.aar.examples.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A minimal SignalR JSON-protocol client over the WebSockets transport, for tests: negotiate,
 * connect, handshake, then raw messages in and out. It can stop reading, like a stalled client.
 */
public final class HubClient implements AutoCloseable {

    static final char RS = '\u001e';

    final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final ObjectMapper json;
    private final AtomicBoolean reading = new AtomicBoolean(true);
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    private HubClient(ObjectMapper json) {
        this.json = json;
    }

    /** {@code POST /hubs/analysis/negotiate?negotiateVersion=1} with the key as a bearer token. */
    static HttpResponse<String> negotiate(HttpClient http, int port, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hubs/analysis/negotiate?negotiateVersion=1"))
                .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Negotiates, connects over WebSockets with {@code access_token} and completes the handshake. */
    public static HubClient connect(HttpClient http, ObjectMapper json, int port, String key) throws Exception {
        HttpResponse<String> negotiated = negotiate(http, port, key);
        if (negotiated.statusCode() != 200) {
            throw new IOException("negotiate: " + negotiated.statusCode() + " " + negotiated.body());
        }
        String token = json.readTree(negotiated.body()).get("connectionToken").asText();
        HubClient client = new HubClient(json);
        client.socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/hubs/analysis?id=" + token + "&access_token=" + key),
                        client.listener())
                .get(30, TimeUnit.SECONDS);
        client.send("{\"protocol\":\"json\",\"version\":1}");
        JsonNode handshake = client.next();
        if (handshake.size() != 0) {
            throw new IOException("handshake refused: " + handshake);
        }
        return client;
    }

    /** Sends one message (the record separator is added). */
    void send(String message) {
        socket.sendText(message + RS, true).join();
    }

    /** Invokes a hub method and returns its completion. */
    public JsonNode invoke(String id, String target, String argument) throws Exception {
        send("{\"type\":1,\"invocationId\":\"" + id + "\",\"target\":\"" + target + "\",\"arguments\":[\""
                + argument + "\"]}");
        return next(m -> m.path("type").asInt() == 3 && id.equals(m.path("invocationId").asText()));
    }

    /** The next message. */
    JsonNode next() throws Exception {
        JsonNode m = messages.poll(30, TimeUnit.SECONDS);
        if (m == null) {
            throw new IOException("no message within 30 s");
        }
        return m;
    }

    /** The next message matching {@code filter}, skipping others (pings). */
    public JsonNode next(java.util.function.Predicate<JsonNode> filter) throws Exception {
        while (true) {
            JsonNode m = next();
            if (filter.test(m)) {
                return m;
            }
        }
    }

    /** Stops taking data from the socket: the server's writes back up. */
    void stopReading() {
        reading.set(false);
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            @Override
            public void onOpen(WebSocket webSocket) {
                webSocket.request(1);
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                synchronized (partial) {
                    partial.append(data);
                    int end;
                    while ((end = partial.indexOf(String.valueOf(RS))) >= 0) {
                        String record = partial.substring(0, end);
                        partial.delete(0, end + 1);
                        try {
                            messages.add(json.readTree(record));
                        } catch (IOException e) {
                            throw new IllegalStateException("not JSON: " + record, e);
                        }
                    }
                }
                if (reading.get()) {
                    webSocket.request(1);
                }
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.complete(-1);
            }
        };
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
