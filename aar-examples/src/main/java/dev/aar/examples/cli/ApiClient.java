package dev.aar.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;

/** A small JSON client for the quick-start server's {@code /api/v1} routes, authenticating with {@code X-Api-Key}. */
final class ApiClient {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

    /** A request the server answered with an error (its problem document), or could not answer at all. */
    static final class Failure extends RuntimeException {
        final int status;
        final String code;
        final long retryAfterSeconds;

        Failure(int status, String code, String detail, long retryAfterSeconds, Throwable cause) {
            super(detail, cause);
            this.status = status;
            this.code = code;
            this.retryAfterSeconds = retryAfterSeconds;
        }

        /** Whether trying again may help: the connection failed, the server failed, or it asked to wait. */
        boolean transient_() {
            return status == 0 || status >= 500 || status == 408 || status == 429;
        }

        /** The CLI's exit code: 2 when the server refused the request, 1 when it failed or was unreachable. */
        int exitCode() {
            return status >= 400 && status < 500 ? AarCli.EXIT_REFUSED : AarCli.EXIT_INTERNAL;
        }

        String describe() {
            return getMessage() + (code != null ? " [" + code + "]" : "");
        }
    }

    private final HttpClient http;
    private final URI base;
    private final String key;
    private final ObjectMapper json = new ObjectMapper();

    ApiClient(String server, String key) {
        this.base = URI.create(server.endsWith("/") ? server : server + "/");
        this.key = key;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();
    }

    ObjectMapper json() {
        return json;
    }

    JsonNode get(String path) {
        return send(request(path).GET().build());
    }

    JsonNode post(String path, Object body) {
        HttpRequest.BodyPublisher publisher;
        try {
            publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the request body", e);
        }
        return send(request(path).header("Content-Type", "application/json").POST(publisher).build());
    }

    /** PUTs the bytes of {@code body} (position to limit; the buffer itself is not moved) as {@code application/octet-stream}. */
    JsonNode put(String path, ByteBuffer body, Map<String, String> headers) {
        HttpRequest.Builder req = request(path).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.fromPublisher(new BufferPublisher(body), body.remaining()));
        headers.forEach(req::header);
        return send(req.build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path))
                .timeout(REQUEST_TIMEOUT).header("X-Api-Key", key).header("Accept", "application/json");
    }

    private JsonNode send(HttpRequest request) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new Failure(0, null, request.method() + " " + request.uri() + " failed: " + e, 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(0, null, "interrupted", 0, e);
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() >= 400) {
            String detail = body != null && body.hasNonNull("detail") ? body.get("detail").asText()
                    : "HTTP " + response.statusCode() + " from " + request.method() + " " + request.uri().getPath();
            String code = body != null && body.hasNonNull("code") ? body.get("code").asText() : null;
            long retryAfter = response.headers().firstValue("Retry-After").map(ApiClient::seconds).orElse(0L);
            throw new Failure(response.statusCode(), code, detail, retryAfter, null);
        }
        return body;
    }

    private JsonNode parse(byte[] bytes) {
        if (bytes.length == 0) {
            return null;
        }
        try {
            return json.readTree(bytes);
        } catch (IOException e) {
            return null; // not JSON (a proxy's error page): the status says enough
        }
    }

    private static long seconds(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
