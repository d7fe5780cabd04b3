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
 *   <li>the 915-byte zip ({@code '@a(\n' × 200,000 + '{}'}) uploaded and analysed, then 32 copies of its
 *       file analysed and cancelled midway;</li>
 *   <li>event streams on {@code /hubs/analysis}: one key's streams (and SignalR negotiations) until 429,
 *       twenty more keys of the organization until the server's 503; a client that subscribes and never
 *       reads while analyses produce events, beside one that reads; the heap (from {@code /metrics})
 *       before, with the streams open, and after;</li>
 *   <li>parallel exact preflights of a stored project and of streamed archives;</li>
 * </ol>
 * then SIGTERM, timing the exit. Loopback only; every loop is bounded.
 *
 * <pre>java -cp aar-benchmarks/target/benchmarks.jar dev.aar.benchmarks.hostile.HostileClientsMain \
 *     aar-examples/target/aar.jar /tmp/aar-hostile [--heap 256m] [--only 3|4]</pre>
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
            System.err.println("usage: HostileClientsMain AAR_JAR DATA_DIR [--heap 256m] [--only 3|4]");
            System.exit(2);
        }
        String heap = "256m";
        String only = null;
        for (int i = 2; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--heap" -> heap = args[i + 1];
                case "--only" -> only = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        new HostileClientsMain().run(Path.of(args[0]), Path.of(args[1]), heap, only);
    }

    private void run(Path jar, Path data, String heap, String only) throws Exception {
        if ("4".equals(only)) {
            serve(jar, data.resolve("c"), heap, "item 4", () -> eventStreams(jar, data.resolve("c")));
        } else if ("3".equals(only)) {
            serve(jar, data.resolve("b"), heap, "item 3", this::pathologicalZip);
        } else {
            // items 1, 2, 5 and 4 against one server, then item 3 against a fresh one: a runaway analysis
            // must not hide whether the HTTP side stops cleanly
            serve(jar, data.resolve("a"), heap, "items 1, 2, 5, 4", () -> {
                chunkedJson();
                slowSenders();
                parallelExactPreflights();
                eventStreams(jar, data.resolve("a"));
            });
            serve(jar, data.resolve("b"), heap, "item 3", this::pathologicalZip);
        }
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
        ByteArrayOutputStream bytes = pathological(1);
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
        verdicts.put("3. 915-byte zip", verdict);
        cancelMidway();
    }

    /**
     * The same file 32 times (stored): a job long enough to cancel while it runs. The SIGTERM that follows
     * shows whether the worker really stopped, since the server waits for its workers on the way out.
     */
    private void cancelMidway() throws Exception {
        ByteArrayOutputStream bytes = pathological(32);
        HttpResponse<String> up = http.send(request("/api/v1/projects/upload?name=pathological32", key)
                .header("Content-Type", "application/zip").POST(HttpRequest.BodyPublishers.ofByteArray(bytes.toByteArray()))
                .build(), HttpResponse.BodyHandlers.ofString());
        String project = json(up.body(), "id");
        HttpResponse<String> queued = post("/api/v1/projects/" + project + "/analyses", "{}");
        String approval = "";
        if (queued.statusCode() == 409) {
            // above the auto-approval thresholds: the banner key holds the approve right
            approval = "approved (" + post("/api/v1/preflight/" + project + "/approve", "").statusCode() + "), ";
            queued = post("/api/v1/projects/" + project + "/analyses", "{}");
        }
        String job = json(queued.body(), "jobId");
        long start = System.nanoTime();
        String state = "Queued";
        while (state.equals("Queued") && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60)) {
            state = json(get("/api/v1/jobs/" + job, key).body(), "state");
            Thread.sleep(100);
        }
        Thread.sleep(2000); // well inside the analysis
        state = json(get("/api/v1/jobs/" + job, key).body(), "state");
        String verdict;
        if (state.equals("Running")) {
            long c = System.nanoTime();
            int cancel = post("/api/v1/jobs/" + job + "/cancel", "").statusCode();
            String after = state;
            while (System.nanoTime() - c < TimeUnit.SECONDS.toNanos(30)) {
                after = json(get("/api/v1/jobs/" + job, key).body(), "state");
                if (!after.equals("Running") && !after.equals("Queued")) {
                    break;
                }
                Thread.sleep(100);
            }
            verdict = approval + "Running after 2 s; cancel " + cancel + " → " + after + " after " + (System.nanoTime() - c) / 1_000_000 + " ms";
        } else {
            verdict = approval + "already " + state + " 2 s after it started: nothing to cancel";
        }
        System.out.printf(Locale.ROOT, "  the same file 32 times (%d bytes zipped, stored): %s%n", bytes.size(), verdict);
        verdicts.put("3. the file 32 times, cancelled midway", verdict);
    }

    /** A zip of {@code copies} copies of issue 13's file {@code '@a(\n' × 200,000 + '{}'}. */
    private static ByteArrayOutputStream pathological(int copies) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] text = ("@a(\n".repeat(200_000) + "{}").getBytes(StandardCharsets.US_ASCII);
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(text);
            for (int i = 0; i < copies; i++) {
                ZipEntry entry = new ZipEntry(copies == 1 ? "src/A.java" : "src/p" + i + "/A.java");
                if (copies > 1) {
                    // stored: deflated, many copies would be refused as a zip bomb (compression ratio) before any analysis
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(text.length);
                    entry.setCompressedSize(text.length);
                    entry.setCrc(crc.getValue());
                }
                zip.putNextEntry(entry);
                zip.write(text);
                zip.closeEntry();
            }
        }
        return bytes;
    }

    // ---- item 4

    private static final String HUB = "/hubs/analysis";
    private static final String SSE = "Accept: text/event-stream";
    /** Keys besides the banner's: 20 × the 100 streams a key may hold is the server's 2,000, and one more. */
    private static final int EXTRA_KEYS = 20;

    private void eventStreams(Path jar, Path serverDir) throws Exception {
        System.out.println("== 4. event streams on " + HUB);
        long heapBefore = heapUsedBytes();
        // under the default auto-approval threshold of 1,000 files, so that it is analysed without an approval
        byte[] archive = findingsProject(900);
        HttpResponse<String> up = http.send(request("/api/v1/projects/upload?name=events", key)
                .header("Content-Type", "application/zip").POST(HttpRequest.BodyPublishers.ofByteArray(archive)).build(),
                HttpResponse.BodyHandlers.ofString());
        String project = json(up.body(), "id");
        System.out.printf(Locale.ROOT, "  project of 900 small files with four hard-coded passwords each (%.0f KB zipped), "
                + "upload %d; heap used before: %s%n", archive.length / 1e3, up.statusCode(), mb(heapBefore));
        String stream = HUB + "?projectId=" + project;
        streamCaps(jar, serverDir.resolve("data"), stream);
        stalledClient(project, stream, serverDir.resolve("server.log"));
        long heapAfter = heapUsedBytes();
        int live = get("/health/live", null).statusCode();
        System.out.printf(Locale.ROOT, "  after closing everything: heap used %s, /health/live %d%n", mb(heapAfter), live);
        verdicts.put("4c. heap used before / after item 4", mb(heapBefore) + " / " + mb(heapAfter) + ", /health/live " + live);
    }

    /** (b): one client reads, one subscribes (replaying the history) and never reads, while analyses produce events. */
    private void stalledClient(String project, String stream, Path log) throws Exception {
        System.out.println("  -- (b) a client that never reads, beside one that reads, while analyses run");
        Raw readerSocket = Raw.start(port, 0, "GET", stream, "X-Api-Key: " + key, SSE);
        EventReader reader = new EventReader(readerSocket);
        Thread readerThread = new Thread(reader, "hostile-reader");
        readerThread.setDaemon(true);
        readerThread.start();
        Raw stalled = null;
        try {
            // the first analysis fills the project's history, which the silent client then asks to replay in full
            List<Long> live = new ArrayList<>();
            String first = analyse(project, live);
            int firstEvents = reader.events;
            // a tiny receive window: what the server writes to it stays in the server's send buffer
            stalled = Raw.start(port, 4096, "GET", stream + "&lastEventId=0", "X-Api-Key: " + key, SSE);
            String since = java.time.LocalTime.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
            long start = System.nanoTime();
            List<String> states = new ArrayList<>();
            // past the server's 30 s write timeout, with analyses producing events all along
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(45) && states.size() < 100) {
                states.add(analyse(project, live));
            }
            long stalledFor = (System.nanoTime() - start) / 1_000_000;
            Raw.Drain drained = stalled.drain(3000);
            long liveMax = live.stream().mapToLong(Long::longValue).max().orElse(-1);
            System.out.printf(Locale.ROOT, "  first analysis %s with %d events; then %d analyses (%s) in %d ms while the "
                    + "silent client did not read%n", first, firstEvents, states.size(), String.join(", ", states), stalledFor);
            System.out.printf(Locale.ROOT, "  silent client (not reading since %s): %s; reading it now gave %d KB%n", since,
                    drained.closed() ? "DROPPED by the server (its socket ended)" : "still open", drained.bytes() / 1024);
            // why and when, as the server logged it
            for (String line : Files.readString(log).split("\n")) {
                if (line.contains("fell behind")) {
                    System.out.println("  server log: " + line.trim());
                }
            }
            System.out.printf(Locale.ROOT, "  reading client: %s, %d events and %d heartbeats in all, longest silence %d ms; "
                    + "/health/live %d samples, p50 %d ms, max %d ms%n", reader.ended ? "ENDED" : "still open", reader.events,
                    reader.heartbeats, reader.maxGapMs, live.size(), live.isEmpty() ? -1 : median(live), liveMax);
            boolean held = drained.closed() && !reader.ended && reader.events > firstEvents;
            verdicts.put("4b. client that never reads", (held ? "held: " : "NOT held: ") + "silent one "
                    + (drained.closed() ? "dropped" : "still open") + ", reader " + (reader.ended ? "ended" : "kept") + " ("
                    + reader.events + " events), /health/live max " + liveMax + " ms");
        } finally {
            if (stalled != null) {
                stalled.close();
            }
            readerSocket.close();
        }
    }

    /** Runs one analysis of {@code project} to its end (at most 120 s), timing /health/live meanwhile; its final state. */
    private String analyse(String project, List<Long> live) throws Exception {
        HttpResponse<String> queued = post("/api/v1/projects/" + project + "/analyses", "{}");
        if (queued.statusCode() / 100 != 2) {
            return "refused " + queued.statusCode() + " " + codeOf(queued.body());
        }
        String job = json(queued.body(), "jobId");
        long start = System.nanoTime();
        String state = "Queued";
        while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(120)) {
            state = json(get("/api/v1/jobs/" + job, key).body(), "state");
            if (!state.equals("Queued") && !state.equals("Running")) {
                break;
            }
            long t = System.nanoTime();
            get("/health/live", null);
            live.add((System.nanoTime() - t) / 1_000_000);
            Thread.sleep(250);
        }
        return state;
    }

    /** (a): streams (and SignalR negotiations) with one key until 429, then with twenty more keys until 503. */
    private void streamCaps(Path jar, Path dataDir, String stream) throws Exception {
        System.out.println("  -- (a) open streams until refused");
        List<Raw> open = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            Map<Integer, Integer> negotiations = new TreeMap<>();
            for (int i = 0; i < 3; i++) {
                negotiations.merge(post(HUB + "/negotiate?negotiateVersion=1", "").statusCode(), 1, Integer::sum);
            }
            Refusal own = openUntilRefused(key, stream, open, 1000);
            HttpResponse<String> negotiateAfter = post(HUB + "/negotiate?negotiateVersion=1", "");
            System.out.printf(Locale.ROOT, "  one key: SignalR negotiations %s, then %d SSE streams accepted in %d ms, then %d %s "
                    + "Retry-After %s; one more negotiation: %d %s Retry-After %s%n", negotiations, own.accepted(), own.ms(),
                    own.status(), own.code(), own.retryAfter(), negotiateAfter.statusCode(),
                    codeOf(negotiateAfter.body()), negotiateAfter.headers().firstValue("Retry-After").orElse("-"));
            verdicts.put("4a. streams of one key", (own.status() == 429 ? "held: " : "NOT held: ") + negotiations.getOrDefault(200, 0)
                    + " negotiations + " + own.accepted() + " SSE, then " + own.status() + " " + own.code()
                    + " Retry-After " + own.retryAfter());

            long made = System.nanoTime();
            List<String> keys = createKeys(jar, dataDir, EXTRA_KEYS);
            System.out.printf(Locale.ROOT, "  %d more keys of the organization made with aar keys create in %d ms%n", keys.size(),
                    (System.nanoTime() - made) / 1_000_000);
            ExecutorService pool = Executors.newFixedThreadPool(keys.size());
            List<Future<Refusal>> fs = new ArrayList<>();
            long start = System.nanoTime();
            for (String k : keys) {
                fs.add(pool.submit(() -> openUntilRefused(k, stream, open, 1000)));
            }
            int accepted = 0;
            Map<String, Integer> refusals = new TreeMap<>();
            java.util.Set<String> retryAfter = new java.util.TreeSet<>();
            for (Future<Refusal> f : fs) {
                Refusal r = f.get(600, TimeUnit.SECONDS);
                accepted += r.accepted();
                refusals.merge(r.status() + " " + r.code(), 1, Integer::sum);
                retryAfter.add(r.retryAfter());
            }
            pool.shutdownNow();
            long ms = (System.nanoTime() - start) / 1_000_000;
            List<Long> live = new ArrayList<>();
            List<Long> quota = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                long t = System.nanoTime();
                get("/health/live", null);
                live.add((System.nanoTime() - t) / 1_000_000);
                t = System.nanoTime();
                get("/api/v1/quota", key);
                quota.add((System.nanoTime() - t) / 1_000_000);
            }
            long heapOpen = heapUsedBytes();
            System.out.printf(Locale.ROOT, "  %d keys in parallel: %d more SSE streams accepted in %d ms (%d open in all), "
                    + "then each key's refusal: %s, Retry-After %s%n", keys.size(), accepted, ms, open.size(), refusals, retryAfter);
            System.out.printf(Locale.ROOT, "  with %d streams open: /health/live p50 %d ms max %d ms; /api/v1/quota p50 %d ms "
                    + "max %d ms; heap used %s%n", open.size(), median(live), live.stream().mapToLong(Long::longValue).max().orElse(-1),
                    median(quota), quota.stream().mapToLong(Long::longValue).max().orElse(-1), mb(heapOpen));
            boolean held = refusals.keySet().stream().anyMatch(r -> r.startsWith("503"));
            verdicts.put("4a. streams of " + keys.size() + " more keys", (held ? "held: " : "NOT held: ") + open.size()
                    + " open in all, then " + refusals + ", Retry-After " + retryAfter);
            verdicts.put("4c. heap used with " + open.size() + " streams open", mb(heapOpen));
        } finally {
            for (Raw raw : open) {
                raw.close();
            }
        }
        // the permits come back when the server sees the sockets go
        long closed = System.nanoTime();
        Raw.Response again = null;
        while (System.nanoTime() - closed < TimeUnit.SECONDS.toNanos(30)) {
            try (Raw raw = Raw.start(port, 0, "GET", stream, "X-Api-Key: " + key, SSE)) {
                again = raw.readHead();
            }
            if (again.status() == 200) {
                break;
            }
            Thread.sleep(250);
        }
        long ms = (System.nanoTime() - closed) / 1_000_000;
        System.out.printf(Locale.ROOT, "  after closing them all, a new stream of the first key: %d after %d ms%n",
                again == null ? 0 : again.status(), ms);
    }

    /** How one key's run of stream openings ended. */
    private record Refusal(int accepted, int status, String code, String retryAfter, long ms) {
    }

    /** Opens streams with {@code apiKey} until one is refused (a rate-limit 429 is waited out), keeping them in {@code open}. */
    private Refusal openUntilRefused(String apiKey, String stream, List<Raw> open, int max) throws Exception {
        long start = System.nanoTime();
        int accepted = 0;
        for (int i = 0; i < max; i++) {
            Raw raw = Raw.start(port, 0, "GET", stream, "X-Api-Key: " + apiKey, SSE);
            Raw.Response r = raw.readHead();
            if (r.status() == 200) {
                open.add(raw);
                accepted++;
                continue;
            }
            raw.close();
            String retry = r.header("Retry-After");
            if (r.status() == 429 && !r.code().startsWith("events.")) {
                // the per-key request rate, not the stream cap: wait and go on
                Thread.sleep(1000L * Math.max(1, Long.parseLong(retry == null ? "1" : retry.trim())));
                continue;
            }
            return new Refusal(accepted, r.status(), r.code(), retry == null ? "-" : retry,
                    (System.nanoTime() - start) / 1_000_000);
        }
        return new Refusal(accepted, 0, "none after " + max, "-", (System.nanoTime() - start) / 1_000_000);
    }

    /** Issues {@code n} keys for the banner key's organization with {@code aar keys create}, as an operator would. */
    private static List<String> createKeys(Path jar, Path dataDir, int n) throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Process p = new ProcessBuilder("java", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "keys", "create",
                    "default", "--name", "hostile-" + i, "--data", dataDir.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("aar keys create failed: " + out);
            }
            String secret = null;
            for (String line : out.split("\n")) {
                if (line.trim().startsWith("aar_")) {
                    secret = line.trim();
                }
            }
            if (secret == null) {
                throw new IllegalStateException("no key in: " + out);
            }
            keys.add(secret);
        }
        return keys;
    }

    /** The server's heap in use, summed over the pools of /metrics' {@code jvm_memory_used_bytes}; -1 if not exposed. */
    private long heapUsedBytes() throws Exception {
        HttpResponse<String> r = get("/metrics", key);
        if (r.statusCode() != 200) {
            return -1;
        }
        double sum = 0;
        boolean found = false;
        for (String line : r.body().split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        return found ? (long) sum : -1;
    }

    private static String mb(long bytes) {
        return bytes < 0 ? "not exposed" : String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
    }

    private static String codeOf(String body) {
        Matcher m = Pattern.compile("\"code\":\"([^\"]+)\"").matcher(body);
        return m.find() ? m.group(1) : "-";
    }

    /** A zip of {@code files} small Java files, each with four hard-coded passwords: four findings (events) per file. */
    private static byte[] findingsProject(int files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int f = 0; f < files; f++) {
                zip.putNextEntry(new ZipEntry("src/main/java/p" + f % 20 + "/S" + f + ".java"));
                StringBuilder src = new StringBuilder("package p" + f % 20 + ";\n\nclass S" + f + " {\n");
                for (String name : new String[] {"password", "secret", "apiKey", "accessToken"}) {
                    src.append("    String ").append(name).append(" = \"h7Kq9xPz").append(name.length()).append("LmW")
                            .append(f).append("vRt\";\n");
                }
                zip.write(src.append("}\n").toString().getBytes(StandardCharsets.US_ASCII));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Reads an event stream, counting events and heartbeats and the longest silence between them. */
    private static final class EventReader implements Runnable {
        private final Raw raw;
        volatile int events;
        volatile int heartbeats;
        volatile long maxGapMs;
        volatile boolean ended;

        EventReader(Raw raw) {
            this.raw = raw;
        }

        @Override
        public void run() {
            long last = System.nanoTime();
            try {
                java.io.BufferedReader lines = new java.io.BufferedReader(
                        new java.io.InputStreamReader(raw.in, StandardCharsets.UTF_8));
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("event:")) {
                        events++;
                    } else if (line.startsWith(": heartbeat")) {
                        heartbeats++;
                    } else {
                        continue;
                    }
                    long now = System.nanoTime();
                    maxGapMs = Math.max(maxGapMs, (now - last) / 1_000_000);
                    last = now;
                }
            } catch (IOException e) {
                // closed by us at the end, or by the server
            }
            ended = true;
        }
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
            return start(port, 0, method, path, headers);
        }

        /** Like {@link #start(int, String, String, String...)}, with a receive buffer of that size (0: the default). */
        static Raw start(int port, int receiveBuffer, String method, String path, String... headers) throws IOException {
            Socket s = new Socket();
            if (receiveBuffer > 0) {
                s.setReceiveBufferSize(receiveBuffer); // before connect: it sets the TCP window offered
            }
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

            /** A response header's value, or null. */
            String header(String name) {
                Matcher m = Pattern.compile("(?im)^" + Pattern.quote(name) + ":\\s*([^\\r\\n]*)").matcher(text);
                return m.find() ? m.group(1) : null;
            }
        }

        /** What reached a client that had not read: its bytes, and whether the server had closed the connection. */
        record Drain(long bytes, boolean closed) {
        }

        /** Reads everything waiting; closed if the connection ended, not if nothing came for {@code quietMs}. */
        Drain drain(int quietMs) {
            long bytes = 0;
            byte[] buf = new byte[64 * 1024];
            try {
                socket.setSoTimeout(quietMs);
                int n;
                while ((n = in.read(buf)) >= 0) {
                    bytes += n;
                }
                return new Drain(bytes, true);
            } catch (java.net.SocketTimeoutException e) {
                return new Drain(bytes, false);
            } catch (IOException e) {
                return new Drain(bytes, true); // reset by the server
            }
        }

        /**
         * Reads a response's head; for an answer other than 200 also its body (by Content-Length). A 200
         * is an event stream that stays open, so its body is left unread.
         */
        Response readHead() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    all.write(buf, 0, n);
                    String text = all.toString(StandardCharsets.ISO_8859_1);
                    int end = text.indexOf("\r\n\r\n");
                    if (end < 0) {
                        continue;
                    }
                    if (text.startsWith("HTTP/1.1 200")) {
                        break;
                    }
                    Matcher m = Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(text);
                    if (!m.find() || text.length() - end - 4 >= Long.parseLong(m.group(1))) {
                        break;
                    }
                }
            } catch (IOException e) {
                // what came is the answer
            }
            String text = all.toString(StandardCharsets.UTF_8);
            int status = text.startsWith("HTTP/1.1 ") && text.length() >= 12 ? Integer.parseInt(text.substring(9, 12)) : 0;
            return new Response(status, text);
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
