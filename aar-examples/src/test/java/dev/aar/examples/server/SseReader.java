package dev.aar.examples.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A minimal server-sent events client over a real HTTP connection, for tests. */
final class SseReader implements AutoCloseable {

    /** One event as received. */
    record Event(String id, String name, String data) {
    }

    private final HttpResponse<InputStream> response;
    private final BufferedReader reader;

    private SseReader(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    }

    static SseReader open(HttpClient http, String url, String key, String lastEventId) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(30));
        if (key != null) {
            req.header("X-Api-Key", key);
        }
        if (lastEventId != null) {
            req.header("Last-Event-ID", lastEventId);
        }
        return new SseReader(http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    int status() {
        return response.statusCode();
    }

    String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    /** Reads the next {@code n} events, skipping comments (heartbeats). */
    List<Event> read(int n) throws IOException {
        List<Event> events = new ArrayList<>();
        String id = null;
        String name = "message";
        StringBuilder data = new StringBuilder();
        while (events.size() < n) {
            String line = reader.readLine();
            if (line == null) {
                throw new IOException("stream ended after " + events.size() + " of " + n + " events");
            }
            if (line.isEmpty()) {
                if (data.length() > 0) {
                    events.add(new Event(id, name, data.toString()));
                }
                id = null;
                name = "message";
                data.setLength(0);
            } else if (line.startsWith("id:")) {
                id = line.substring(3).trim();
            } else if (line.startsWith("event:")) {
                name = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5).trim());
            }
        }
        return events;
    }

    String body() throws IOException {
        return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Drops the connection, like a client that goes away. */
    @Override
    public void close() throws IOException {
        response.body().close();
    }
}
