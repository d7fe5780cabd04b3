package dev.aar.benchmarks.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The control between the two variants: the whole file in one request to the direct upload route,
 * like curl, but sent by {@link HttpClient} ({@code BodyPublishers.ofFile}), so the difference from
 * curl is the client and the difference from the resumable variant is the protocol.
 */
final class JavaDirectUpload {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final URI url;

    JavaDirectUpload(URI url) {
        this.url = url;
    }

    /** Sends {@code file} and returns the response body (the project JSON); fails unless it answered 201. */
    String run(Path file, String key) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(5)).header("X-Api-Key", key)
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofFile(file))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("direct upload answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }
}
