package dev.aar.benchmarks.http;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The baseline: one {@code curl -T FILE -X POST} of the whole file to the direct upload route.
 * {@code -T} streams the file from disk with a {@code Content-Length}; {@code --data-binary @FILE}
 * would read it into curl's memory first.
 */
final class CurlUpload {

    private static final String TIME = "/usr/bin/time";
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

    /** What curl answered, and the CPU time (user + system) it used. */
    record Result(String body, double cpuSeconds) {
    }

    /**
     * Runs curl under {@code /usr/bin/time} (for its CPU time) and returns the response body (the
     * project JSON); fails unless it answered 201.
     */
    Result run(Path file, String key, Path response) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(TIME, "-f", "cpu %U %S"));
        cmd.addAll(command(file, key, response));
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        int exit = p.waitFor();
        String body = Files.exists(response) ? Files.readString(response) : "";
        if (exit != 0 || !out.endsWith("201")) {
            throw new IllegalStateException("curl exited " + exit + " with '" + out + "' " + err + ": " + body);
        }
        String[] cpu = err.substring(err.lastIndexOf("cpu ")).split("\\s+");
        return new Result(body, Double.parseDouble(cpu[1]) + Double.parseDouble(cpu[2]));
    }

    private List<String> command(Path file, String key, Path response) {
        return List.of("curl", "-sS", "-o", response.toString(), "-w", "%{http_code}", "-T", file.toString(),
                "-X", "POST", "-H", "X-Api-Key: " + key, "-H", "Content-Type: application/octet-stream", url.toString());
    }
}
