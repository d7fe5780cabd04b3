package dev.aar.benchmarks.http;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The baseline: one {@code curl -T FILE -X POST} of the whole file to the direct upload route.
 * {@code -T} streams the file from disk with a {@code Content-Length}; {@code --data-binary @FILE}
 * would read it into curl's memory first.
 */
final class CurlUpload {

    private final URI url;

    CurlUpload(URI url) {
        this.url = url;
    }

    /** The command line, with the key shown as {@code $K}. */
    String describe(Path file) {
        return String.join(" ", command(file, "$K", Path.of("RESPONSE"))).replace("X-Api-Key: $K", "'X-Api-Key: $K'")
                .replace("Content-Type: application/octet-stream", "'Content-Type: application/octet-stream'")
                .replace("%{http_code}", "'%{http_code}'");
    }

    /** Runs curl and returns the response body (the project JSON); fails unless it answered 201. */
    String run(Path file, String key, Path response) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command(file, key, response)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        int exit = p.waitFor();
        String body = Files.exists(response) ? Files.readString(response) : "";
        if (exit != 0 || !out.endsWith("201")) {
            throw new IllegalStateException("curl exited " + exit + " with '" + out + "': " + body);
        }
        return body;
    }

    private List<String> command(Path file, String key, Path response) {
        return List.of("curl", "-sS", "-o", response.toString(), "-w", "%{http_code}", "-T", file.toString(),
                "-X", "POST", "-H", "X-Api-Key: " + key, "-H", "Content-Type: application/octet-stream", url.toString());
    }
}
