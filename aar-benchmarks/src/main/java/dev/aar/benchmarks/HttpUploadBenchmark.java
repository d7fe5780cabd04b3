package dev.aar.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Uploads one file over loopback to a real {@code aar serve} (its own JVM, {@code -Xmx256m}) two
 * ways in the same run — {@code aar upload} (4 MiB parts, 4 connections, SHA-256 per part) and one
 * plain {@code curl} streaming the whole file to {@code POST /api/v1/projects/upload} — and reports
 * both throughputs and the server's heap (from its {@code /metrics}) before, at peak and after.
 *
 * <pre>mvn -B -q package -DskipTests
 * java -cp aar-benchmarks/target/classes dev.aar.benchmarks.HttpUploadBenchmark aar-examples/target/aar.jar 1024 2</pre>
 *
 * Arguments: the jar, the file size in MiB (default 1024), rounds (default 2; each round runs curl then aar upload).
 */
public final class HttpUploadBenchmark {

    private static final Pattern KEY = Pattern.compile("\\baar_[A-Za-z0-9_-]{20,}");
    private static final Pattern HEAP = Pattern.compile("^jvm_memory_used_bytes\\{area=\"heap\",[^}]*} (\\S+)$");

    private HttpUploadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "aar-examples/target/aar.jar");
        int mib = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Path dir = Files.createTempDirectory("aar-http-upload-");
        Path file = randomFile(dir.resolve("upload.bin"), mib);
        Files.writeString(dir.resolve("appsettings.json"), "{\"ScaleLimits\": {\"MaxUploadSizeMb\": " + (mib + 16) + "}}");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        Process server = new ProcessBuilder("java", "-Xmx256m", "-jar", jar.toString(), "serve", "--port", Integer.toString(port),
                "--data", dir.resolve("data").toString(), "--config", dir.resolve("appsettings.json").toString(), "--api-only")
                .redirectErrorStream(true).start();
        try {
            String key = awaitKey(server);
            HttpClient http = HttpClient.newHttpClient();
            System.out.printf(Locale.ROOT, "file %,d MiB; server heap at start %.1f MiB%n", mib, heapMiB(http, url));
            List<String> rows = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                rows.add(measure("curl, 1 streamed POST", http, url, () -> run("curl", "-sS", "-o", "/dev/null", "-f",
                        "-H", "X-Api-Key: " + key, "-H", "Content-Type: application/zip", "-X", "POST", "-T", file.toString(),
                        url + "/api/v1/projects/upload?name=curl.bin"), mib));
                rows.add(measure("aar upload, 4 MiB parts x 4", http, url, () -> run("java", "-jar", jar.toString(), "upload",
                        file.toString(), "--server", url, "--key", key, "--parts", "4", "--state-dir",
                        dir.resolve("state").toString()), mib));
            }
            System.out.println("| client | seconds | MiB/s | server heap before → after (peak), MiB |");
            System.out.println("|---|---|---|---|");
            rows.forEach(System.out::println);
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static String measure(String name, HttpClient http, String url, Step step, int mib) throws Exception {
        double before = heapMiB(http, url);
        AtomicLong peak = new AtomicLong(Double.doubleToLongBits(before));
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    double h = heapMiB(http, url);
                    if (h > Double.longBitsToDouble(peak.get())) {
                        peak.set(Double.doubleToLongBits(h));
                    }
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // a missed sample
                }
            }
        });
        sampler.start();
        long started = System.nanoTime();
        step.run();
        double seconds = (System.nanoTime() - started) / 1e9;
        sampler.interrupt();
        sampler.join();
        double after = heapMiB(http, url);
        String row = String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.0f → %.0f (%.0f) |", name, seconds, mib / seconds,
                before, after, Double.longBitsToDouble(peak.get()));
        System.out.println(row);
        return row;
    }

    /** The server's used heap (all heap pools), from its Prometheus endpoint. */
    private static double heapMiB(HttpClient http, String url) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0;
        for (String line : body.split("\n")) {
            Matcher m = HEAP.matcher(line);
            if (m.matches()) {
                sum += Double.parseDouble(m.group(1));
            }
        }
        return sum / 1048576.0;
    }

    private static String awaitKey(Process server) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String key = null;
        String line;
        while ((line = out.readLine()) != null) {
            Matcher m = KEY.matcher(line);
            if (key == null && m.find()) {
                key = m.group();
            }
            if (line.contains("operations:")) {
                break; // the banner is complete: the server listens
            }
        }
        if (key == null) {
            throw new IllegalStateException("aar serve printed no API key");
        }
        Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
        drain.setDaemon(true);
        drain.start();
        return key;
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue());
        }
    }

    private static Path randomFile(Path file, int mib) throws IOException {
        SplittableRandom random = new SplittableRandom(1);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < mib; i++) {
                for (int j = 0; j < block.length; j += 8) {
                    long v = random.nextLong();
                    for (int k = 0; k < 8; k++) {
                        block[j + k] = (byte) (v >>> (8 * k));
                    }
                }
                out.write(block);
            }
        }
        return file;
    }
}
