package dev.aar.benchmarks.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Replays issue 13's attacks, as one holder of a valid API key would, against a real {@code aar serve}
 * process started with {@code -Xmx256m}, and prints what held:
 * <ol>
 *   <li>a 300 MB chunked JSON body;</li>
 *   <li>300 slow part uploads (4 MiB declared, one byte sent), timing {@code /health/live} and
 *       {@code GET /api/v1/quota} while they are open;</li>
 *   <li>the 915-byte zip ({@code '@a(\n' × 200,000 + '{}'}) uploaded and analysed: what happens is
 *       reported, not judged;</li>
 *   <li>parallel exact preflights of a stored project and of streamed archives;</li>
 * </ol>
 * then SIGTERM, timing the exit. Loopback only; every loop is bounded.
 *
 * <pre>java -cp aar-benchmarks/target/benchmarks.jar dev.aar.benchmarks.hostile.HostileClientsMain \
 *     aar-examples/target/aar.jar /tmp/aar-hostile [--heap 256m]</pre>
 */
public final class HostileClientsMain {

    private static final Pattern URL = Pattern.compile("url:\\s+http://([^:/]+):(\\d+)/");
    private static final int PART = 4 * 1024 * 1024;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<String, String> verdicts = new LinkedHashMap<>();
    private int port;
    private String key;

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: HostileClientsMain AAR_JAR DATA_DIR [--heap 256m]");
            System.exit(2);
        }
        String heap = args.length >= 4 && args[2].equals("--heap") ? args[3] : "256m";
        new HostileClientsMain().run(Path.of(args[0]), Path.of(args[1]), heap);
    }

    private void run(Path jar, Path data, String heap) throws Exception {
        // items 1, 2 and 5 against one server, then item 3 against a fresh one: a runaway analysis
        // (item 3, fixed elsewhere) must not hide whether the HTTP side stops cleanly
        serve(jar, data.resolve("a"), heap, "items 1, 2, 5", () -> {
            chunkedJson();
            slowSenders();
            parallelExactPreflights();
        });
        serve(jar, data.resolve("b"), heap, "item 3", this::pathologicalZip);
        System.out.println();
        System.out.println("== what held");
        verdicts.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-46s %s%n", k, v));
    }

    /** Work against the server. */
    private interface Attacks {
        void run() throws Exception;
    }

    private void serve(Path jar, Path data, String heap, String label, Attacks attacks) throws Exception {
        Files.createDirectories(data);
        Path log = data.resolve("server.log");
        Process server = new ProcessBuilder("java", "-Xmx" + heap, "-jar", jar.toString(), "serve", "--port", "0",
                "--data", data.resolve("data").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        key = null;
        try {
            awaitBanner(log, server);
            System.out.printf(Locale.ROOT, "%nserver pid %d on port %d, -Xmx%s, for %s%n%n", server.pid(), port, heap, label);
            warmUp();
            attacks.run();
        } finally {
            long start = System.nanoTime();
            server.destroy(); // SIGTERM
            boolean exited = server.waitFor(60, TimeUnit.SECONDS);
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (!exited) {
                server.destroyForcibly();
                server.waitFor(30, TimeUnit.SECONDS);
            }
            String oom = Files.readString(log).contains("OutOfMemoryError") ? "yes" : "no";
            verdicts.put("SIGTERM after " + label, exited ? "exited in " + ms + " ms, code " + server.exitValue()
                    : "did NOT exit in 60 s (killed)");
            verdicts.put("OutOfMemoryError in the log, " + label, oom);
        }
    }

    /** A few requests first, so that the measured ones do not pay for class loading and JIT. */
    private void warmUp() throws Exception {
        for (int i = 0; i < 50; i++) {
            get("/health/live", null);
            get("/api/v1/quota", key);
        }
    }

    private void awaitBanner(Path log, Process server) throws Exception {
        for (int i = 0; i < 1200; i++) {
            String out = Files.exists(log) ? Files.readString(log) : "";
            Matcher m = URL.matcher(out);
            if (m.find()) {
                port = Integer.parseInt(m.group(2));
                for (String line : out.split("\n")) {
                    if (line.trim().startsWith("aar_")) {
                        key = line.trim();
                    }
                }
                if (key == null) {
                    throw new IllegalStateException("no API key in the banner: " + out);
                }
                return;
            }
            if (!server.isAlive()) {
                throw new IllegalStateException("aar serve exited: " + out);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("aar serve printed no banner in 120 s");
    }

    // ---- item 1

    private void chunkedJson() throws Exception {
        System.out.println("== 1. 300 MB chunked JSON body to POST /api/v1/uploads/sessions");
        long total = 300L * 1000 * 1000;
        AtomicLong sent = new AtomicLong();
        long start = System.nanoTime();
        Raw.Response r;
        try (Raw raw = Raw.start(port, "POST", "/api/v1/uploads/sessions", "X-Api-Key: " + key,
                "Content-Type: application/json", "Transfer-Encoding: chunked")) {
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'a');
            chunk[0] = '{';
            chunk[1] = '"';
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    while (sent.get() < total) {
                        raw.chunk(chunk);
                        sent.addAndGet(chunk.length);
                    }
                    raw.out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // cut by the server
                }
            });
            r = raw.read();
            raw.close();
            writer.get(120, TimeUnit.SECONDS);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.printf(Locale.ROOT, "  answer %d %s after %d ms; the client had sent %.1f MB%n", r.status,
                r.code(), ms, sent.get() / 1e6);
        int live = get("/health/live", null).statusCode();
        System.out.printf(Locale.ROOT, "  afterwards /health/live: %d%n", live);
        verdicts.put("1. chunked 300 MB JSON", r.status == 413 && live == 200
                ? "held: 413 " + r.code() + ", server up" : "NOT held: " + r.status + " " + r.code() + ", live " + live);
    }

    // ---- item 2

    private void slowSenders() throws Exception {
        System.out.println("== 2. 300 slow part uploads (Content-Length 4 MiB, 1 byte sent)");
        String session = json(post("/api/v1/uploads/sessions",
                "{\"fileName\":\"slow.zip\",\"totalSize\":" + 100L * PART + "}").body(), "sessionId");
        List<Raw> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                Raw raw = Raw.start(port, "PUT", "/api/v1/uploads/sessions/" + session + "/parts/" + (i % 100 + 1),
                        "X-Api-Key: " + key, "Content-Length: " + PART);
                raw.out.write(1);
                raw.out.flush();
                slow.add(raw);
            }
            System.out.println("  300 connections open");
            List<Long> live = new ArrayList<>();
            List<Long> quota = new ArrayList<>();
            int failures = 0;
            for (int i = 0; i < 20; i++) {
                long t = System.nanoTime();
                failures += get("/health/live", null).statusCode() == 200 ? 0 : 1;
                live.add((System.nanoTime() - t) / 1_000_000);
                t = System.nanoTime();
                failures += get("/api/v1/quota", key).statusCode() == 200 ? 0 : 1;
                quota.add((System.nanoTime() - t) / 1_000_000);
            }
            long liveMax = live.stream().mapToLong(Long::longValue).max().orElse(-1);
            long quotaMax = quota.stream().mapToLong(Long::longValue).max().orElse(-1);
            System.out.printf(Locale.ROOT, "  while open, 20 each: /health/live ms p50 %d max %d; /api/v1/quota ms p50 %d max %d; "
                    + "non-200: %d%n  (all samples, ms: live %s; quota %s)%n", median(live), liveMax, median(quota), quotaMax,
                    failures, live, quota);
            Map<Integer, Integer> answers = new TreeMap<>();
            ExecutorService readers = Executors.newFixedThreadPool(32);
            List<Future<Raw.Response>> fs = new ArrayList<>();
            long start = System.nanoTime();
            for (Raw raw : slow) {
                fs.add(readers.submit(raw::read));
            }
            for (Future<Raw.Response> f : fs) {
                answers.merge(f.get(180, TimeUnit.SECONDS).status, 1, Integer::sum);
            }
            readers.shutdownNow();
            System.out.printf(Locale.ROOT, "  how the 300 ended (status → count; 0 = closed without answer): %s, all within %d ms%n",
                    answers, (System.nanoTime() - start) / 1_000_000);
            verdicts.put("2. 300 slow senders", failures == 0 && liveMax < 1000 && quotaMax < 1000
                    ? "held: live max " + liveMax + " ms, quota max " + quotaMax + " ms"
                    : "NOT held: live max " + liveMax + " ms, quota max " + quotaMax + " ms, failures " + failures);
        } finally {
            for (Raw raw : slow) {
                raw.close();
            }
        }
    }

    // ---- item 3

    private void pathologicalZip() throws Exception {
        System.out.println("== 3. the 915-byte zip: '@a(\\n' x 200,000 + '{}', uploaded and analysed");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("src/A.java"));
            zip.write(("@a(\n".repeat(200_000) + "{}").getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
        }
        System.out.printf(Locale.ROOT, "  zip: %d bytes%n", bytes.size());
        HttpResponse<String> up = http.send(request("/api/v1/projects/upload?name=pathological", key)
                .header("Content-Type", "application/zip").POST(HttpRequest.BodyPublishers.ofByteArray(bytes.toByteArray()))
                .build(), HttpResponse.BodyHandlers.ofString());
        String project = json(up.body(), "id");
        HttpResponse<String> queued = post("/api/v1/projects/" + project + "/analyses", "{}");
        String job = json(queued.body(), "jobId");
        System.out.printf(Locale.ROOT, "  upload %d, analysis %d (job %s)%n", up.statusCode(), queued.statusCode(), job);
        String state = "";
        long start = System.nanoTime();
        long liveMax = 0;
        while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60)) {
            state = json(get("/api/v1/jobs/" + job, key).body(), "state");
            long t = System.nanoTime();
            get("/health/live", null);
            liveMax = Math.max(liveMax, (System.nanoTime() - t) / 1_000_000);
            if (!state.equals("Queued") && !state.equals("Running")) {
                break;
            }
            Thread.sleep(1000);
        }
        long secs = (System.nanoTime() - start) / 1_000_000_000;
        System.out.printf(Locale.ROOT, "  after %d s the job is %s; /health/live max %d ms meanwhile%n", secs, state, liveMax);
        String verdict = "job " + state + " after " + secs + " s";
        if (state.equals("Queued") || state.equals("Running")) {
            long c = System.nanoTime();
            HttpResponse<String> cancel = post("/api/v1/jobs/" + job + "/cancel", "");
            String after = state;
            while (System.nanoTime() - c < TimeUnit.SECONDS.toNanos(30)) {
                after = json(get("/api/v1/jobs/" + job, key).body(), "state");
                if (!after.equals("Running") && !after.equals("Queued")) {
                    break;
                }
                Thread.sleep(500);
            }
            verdict += "; cancel " + cancel.statusCode() + " → " + after + " after " + (System.nanoTime() - c) / 1_000_000 + " ms";
            System.out.println("  " + verdict);
        }
        verdicts.put("3. 915-byte zip (reported; item 3 elsewhere)", verdict);
    }

    // ---- item 5

    private void parallelExactPreflights() throws Exception {
        System.out.println("== 5. parallel exact preflights");
        byte[] archive = textProject(16);
        HttpResponse<String> up = http.send(request("/api/v1/projects/upload?name=big", key)
                .header("Content-Type", "application/zip").POST(HttpRequest.BodyPublishers.ofByteArray(archive)).build(),
                HttpResponse.BodyHandlers.ofString());
        String project = json(up.body(), "id");
        System.out.printf(Locale.ROOT, "  project of %.1f MB zipped (16 MB of text), upload %d%n", archive.length / 1e6,
                up.statusCode());
        for (String what : new String[] {"stored", "stream"}) {
            ExecutorService pool = Executors.newFixedThreadPool(20);
            List<Future<long[]>> fs = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                fs.add(pool.submit(() -> {
                    long t = System.nanoTime();
                    HttpResponse<String> r = what.equals("stored")
                            ? post("/api/v1/preflight/analyze/" + project + "?mode=exact", "")
                            : http.send(request("/api/v1/preflight/analyze-stream?mode=exact", key)
                                    .header("Content-Type", "application/zip")
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(archive)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                    return new long[] {r.statusCode(), (System.nanoTime() - t) / 1_000_000};
                }));
            }
            long liveMax = 0;
            while (fs.stream().anyMatch(f -> !f.isDone()) && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(300)) {
                long t = System.nanoTime();
                get("/health/live", null);
                liveMax = Math.max(liveMax, (System.nanoTime() - t) / 1_000_000);
                Thread.sleep(100);
            }
            Map<Long, Integer> statuses = new TreeMap<>();
            long slowest = 0;
            for (Future<long[]> f : fs) {
                long[] r = f.get(300, TimeUnit.SECONDS);
                statuses.merge(r[0], 1, Integer::sum);
                slowest = Math.max(slowest, r[1]);
            }
            pool.shutdownNow();
            long wall = (System.nanoTime() - start) / 1_000_000;
            System.out.printf(Locale.ROOT, "  20 parallel %s exact preflights: statuses %s, wall %d ms, slowest %d ms, "
                    + "/health/live max %d ms meanwhile%n", what, statuses, wall, slowest, liveMax);
            // a repeat of the stored one is answered from the cache
            long t = System.nanoTime();
            int again = what.equals("stored") ? post("/api/v1/preflight/analyze/" + project + "?mode=exact", "").statusCode() : 0;
            if (what.equals("stored")) {
                System.out.printf(Locale.ROOT, "  one more stored exact preflight: %d in %d ms%n", again,
                        (System.nanoTime() - t) / 1_000_000);
            }
            // what must hold: each call either ran (within the organization's bulkhead) or was refused with 429
            boolean held = statuses.keySet().stream().allMatch(s -> s == 200 || s == 429);
            verdicts.put("5. 20 parallel exact preflights (" + what + ")", (held ? "held: " : "NOT held: ") + statuses
                    + ", /health/live max " + liveMax + " ms meanwhile");
        }
    }

    /** A zip of {@code mib} MiB of varied source text, deflated. */
    private static byte[] textProject(int mib) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        java.util.Random random = new java.util.Random(13);
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int f = 0; f < mib * 4; f++) {
                zip.putNextEntry(new ZipEntry("src/main/java/p" + f % 16 + "/C" + f + ".java"));
                StringBuilder sb = new StringBuilder(300_000);
                while (sb.length() < 256 * 1024) {
                    sb.append("    int v").append(random.nextInt(1_000_000)).append(" = compute(")
                            .append(random.nextInt(1000)).append(", \"").append(Long.toHexString(random.nextLong()))
                            .append("\");\n");
                }
                zip.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    // ---- plumbing

    private HttpRequest.Builder request(String path, String apiKey) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(300));
        return apiKey == null ? b : b.header("X-Api-Key", apiKey);
    }

    private HttpResponse<String> get(String path, String apiKey) throws IOException, InterruptedException {
        return http.send(request(path, apiKey).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(request(path, key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The string value of a top-level field, read without a JSON library (this module has none of its own). */
    private static String json(String body, String field) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no '" + field + "' in " + body);
        }
        return m.group(1);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    /** One hand-written HTTP/1.1 request on a socket. */
    private static final class Raw implements AutoCloseable {
        final Socket socket;
        final OutputStream out;
        final InputStream in;

        private Raw(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.in = socket.getInputStream();
        }

        static Raw start(int port, String method, String path, String... headers) throws IOException {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout(180_000);
            Raw raw = new Raw(s);
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            for (String h : headers) {
                head.append(h).append("\r\n");
            }
            raw.out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            raw.out.flush();
            return raw;
        }

        void chunk(byte[] data) throws IOException {
            out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(data);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        record Response(int status, String text) {
            String code() {
                Matcher m = Pattern.compile("\"code\":\"([^\"]+)\"").matcher(text);
                return m.find() ? m.group(1) : "-";
            }
        }

        /** Reads until the server closes or a whole Content-Length body is in; status 0 when nothing came. */
        Response read() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    all.write(buf, 0, n);
                    String text = all.toString(StandardCharsets.ISO_8859_1);
                    int end = text.indexOf("\r\n\r\n");
                    Matcher m = Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(text);
                    if (end > 0 && m.find() && text.length() - end - 4 >= Long.parseLong(m.group(1))) {
                        break;
                    }
                }
            } catch (IOException e) {
                // reset after the answer, or a timeout: what came is the answer
            }
            String text = all.toString(StandardCharsets.UTF_8);
            int status = text.startsWith("HTTP/1.1 ") && text.length() >= 12 ? Integer.parseInt(text.substring(9, 12)) : 0;
            return new Response(status, text);
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closed already
            }
        }
    }
}
