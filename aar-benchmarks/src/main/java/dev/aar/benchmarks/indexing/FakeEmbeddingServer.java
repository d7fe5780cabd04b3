package dev.aar.benchmarks.indexing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A local OpenAI-compatible {@code POST /v1/embeddings} that answers after a fixed latency, and
 * optionally refuses a share of requests with 429 (with {@code retry-after-ms}) or 500.
 *
 * <p>Counts what tells whether a client reaches the ceiling: inputs per request, requests in flight
 * (sampled every millisecond while any request has been seen), connections opened (keep-alive reuse)
 * and the gap between the end of one answer and the next request on the same connection.
 *
 * <p>Standalone, for runs of the CLI against it: {@code java -cp aar-benchmarks/target/benchmarks.jar
 * dev.aar.benchmarks.indexing.FakeEmbeddingServer [latencyMs=100] [dimensions=1536] [port=0]}; prints
 * its base URL, then one line of counters per second while requests arrive, and the totals on Ctrl-C.
 */
public final class FakeEmbeddingServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(64);
    private final long latencyMillis;
    private final String vectorJson;
    /** The same vector as OpenAI's {@code encoding_format: base64} sends it: little-endian float32, Base64, quoted. */
    private final String vectorBase64;
    private final java.util.Map<Integer, byte[]> dataByCount = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<Integer, byte[]> base64DataByCount = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile double share429;
    private volatile double share500;
    final AtomicInteger ok = new AtomicInteger();
    final AtomicInteger throttled = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicLong inputs = new AtomicLong();
    /** Sum over requests of the time from reading the request to the end of the response, in nanoseconds. */
    final AtomicLong busyNanos = new AtomicLong();
    final AtomicInteger inFlight = new AtomicInteger();
    /** {@code inFlightSamples[n]}: millisecond samples with n requests in flight (the last slot: that many or more). */
    final AtomicLongArray inFlightSamples = new AtomicLongArray(17);
    /** Remote ports seen, so each new one is a connection opened (the client's keep-alive pool missed). */
    private final java.util.Map<Integer, Long> lastAnswerByConnection = new java.util.concurrent.ConcurrentHashMap<>();
    final AtomicInteger connections = new AtomicInteger();
    /** Sum of the gaps between an answer and the next request on the same connection, and how many. */
    final AtomicLong gapNanos = new AtomicLong();
    final AtomicLong gaps = new AtomicLong();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-embedding-sampler");
        t.setDaemon(true);
        return t;
    });

    public FakeEmbeddingServer(long latencyMillis, int dimensions) throws IOException {
        this(latencyMillis, dimensions, 0);
    }

    /** @param port the port to listen on, 0 for a free one */
    public FakeEmbeddingServer(long latencyMillis, int dimensions, int port) throws IOException {
        this.latencyMillis = latencyMillis;
        // without it the JDK server leaves Nagle on, and small writes wait for delayed ACKs (~40 ms each)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        StringBuilder v = new StringBuilder("[");
        java.nio.ByteBuffer raw = java.nio.ByteBuffer.allocate(4 * dimensions).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int d = 0; d < dimensions; d++) {
            float f = ThreadLocalRandom.current().nextFloat() - 0.5f;
            v.append(d == 0 ? "" : ",").append(f);
            raw.putFloat(f);
        }
        this.vectorJson = v.append(']').toString();
        this.vectorBase64 = '"' + java.util.Base64.getEncoder().encodeToString(raw.array()) + '"';
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        server.createContext("/v1/embeddings", this::handle);
        server.setExecutor(pool);
        server.start();
        sampler.scheduleAtFixedRate(() -> {
            if (ok.get() + throttled.get() + failed.get() > 0 || inFlight.get() > 0) {
                inFlightSamples.incrementAndGet(Math.min(inFlight.get(), inFlightSamples.length() - 1));
            }
        }, 1, 1, TimeUnit.MILLISECONDS);
    }

    public static void main(String[] args) throws Exception {
        long latency = args.length > 0 ? Long.parseLong(args[0]) : 100;
        int dimensions = args.length > 1 ? Integer.parseInt(args[1]) : 1536;
        int port = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        FakeEmbeddingServer server = new FakeEmbeddingServer(latency, dimensions, port);
        System.out.println("OPENAI_BASE_URL=http://127.0.0.1:" + server.server.getAddress().getPort() + "/v1");
        System.out.printf("latency %d ms, %d dimensions%n", latency, dimensions);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("total: " + server.counters())));
        Snapshot last = server.snapshot();
        while (true) {
            Thread.sleep(1000);
            Snapshot now = server.snapshot();
            if (now.requests() != last.requests()) {
                System.out.println(java.time.LocalTime.now().withNano(0) + " " + now.minus(last));
            }
            last = now;
        }
    }

    /** Counters at one moment; {@link #minus} gives those of an interval. */
    record Snapshot(long requests, long inputs, long connections, long gapNanos, long gaps, long[] inFlight) {
        Snapshot minus(Snapshot before) {
            long[] d = new long[inFlight.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = inFlight[i] - before.inFlight[i];
            }
            return new Snapshot(requests - before.requests, inputs - before.inputs, connections - before.connections,
                    gapNanos - before.gapNanos, gaps - before.gaps, d);
        }

        double meanInFlight() {
            long samples = 0;
            long sum = 0;
            for (int i = 0; i < inFlight.length; i++) {
                samples += inFlight[i];
                sum += (long) i * inFlight[i];
            }
            return samples == 0 ? 0 : (double) sum / samples;
        }

        @Override
        public String toString() {
            long samples = java.util.Arrays.stream(inFlight).sum();
            StringBuilder shares = new StringBuilder();
            for (int i = 0; i < inFlight.length; i++) {
                if (inFlight[i] > 0) {
                    shares.append(String.format(" %d:%.0f%%", i, 100.0 * inFlight[i] / samples));
                }
            }
            return String.format("%d requests, %d inputs (%.1f per request), mean in flight %.2f [%s ], "
                    + "%d connections opened, mean gap answer→next request on a connection %.1f ms",
                    requests, inputs, requests == 0 ? 0 : (double) inputs / requests, meanInFlight(), shares,
                    connections, gaps == 0 ? 0 : gapNanos / 1e6 / gaps);
        }
    }

    Snapshot snapshot() {
        long[] f = new long[inFlightSamples.length()];
        for (int i = 0; i < f.length; i++) {
            f[i] = inFlightSamples.get(i);
        }
        return new Snapshot(ok.get(), inputs.get(), connections.get(), gapNanos.get(), gaps.get(), f);
    }

    String counters() {
        return snapshot().toString();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/embeddings";
    }

    void faults(double share429, double share500) {
        this.share429 = share429;
        this.share500 = share500;
    }

    private byte[] data(int count) {
        return data(count, vectorJson);
    }

    private byte[] base64Data(int count) {
        return data(count, vectorBase64);
    }

    private static byte[] data(int count, String vectorJson) {
        StringBuilder response = new StringBuilder(count * (vectorJson.length() + 48) + 32).append("{\"object\":\"list\",\"data\":[");
        for (int i = 0; i < count; i++) {
            response.append(i == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i)
                    .append(",\"embedding\":").append(vectorJson).append('}');
        }
        return response.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        inFlight.incrementAndGet();
        int connection = exchange.getRemoteAddress().getPort();
        Long previous = lastAnswerByConnection.put(connection, start);
        if (previous == null) {
            connections.incrementAndGet();
        } else {
            gapNanos.addAndGet(start - previous);
            gaps.incrementAndGet();
        }
        try (exchange) {
            // streamed, not a tree: the harness must not be what limits the benchmark
            int count = 0;
            long chars = 0;
            boolean base64 = false;
            try (JsonParser parser = JSON.getFactory().createParser(exchange.getRequestBody())) {
                boolean inInput = false;
                for (JsonToken t; (t = parser.nextToken()) != null;) {
                    if (t == JsonToken.FIELD_NAME) {
                        inInput = "input".equals(parser.currentName());
                        if ("encoding_format".equals(parser.currentName())) {
                            parser.nextToken();
                            base64 = "base64".equals(parser.getText());
                        }
                    } else if (inInput && t == JsonToken.VALUE_STRING) {
                        count++;
                        chars += parser.getTextLength();
                    }
                }
            }
            Thread.sleep(latencyMillis);
            double dice = ThreadLocalRandom.current().nextDouble();
            if (dice < share429) {
                throttled.incrementAndGet();
                exchange.getResponseHeaders().add("retry-after-ms", "100");
                send(exchange, 429, "{\"error\":{\"message\":\"Rate limit reached\"}}");
                return;
            }
            if (dice < share429 + share500) {
                failed.incrementAndGet();
                send(exchange, 500, "{\"error\":{\"message\":\"internal error\"}}");
                return;
            }
            long tokens = Math.max(1, chars / 4);
            // every vector is the same, so the data part of a response depends on the count only: built once
            // per count, so that the server's CPU (which the client's competes with) goes to HTTP, not to JSON
            byte[] data = base64 ? base64DataByCount.computeIfAbsent(count, this::base64Data)
                    : dataByCount.computeIfAbsent(count, this::data);
            byte[] usage = ("],\"usage\":{\"prompt_tokens\":" + tokens + ",\"total_tokens\":" + tokens + "}}")
                    .getBytes(StandardCharsets.UTF_8);
            inputs.addAndGet(count);
            ok.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, data.length + usage.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(data);
                out.write(usage);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            long end = System.nanoTime();
            inFlight.decrementAndGet();
            busyNanos.addAndGet(end - start);
            lastAnswerByConnection.put(connection, end);
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
        sampler.shutdownNow();
    }
}
