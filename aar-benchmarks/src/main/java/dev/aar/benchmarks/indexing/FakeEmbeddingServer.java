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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local OpenAI-compatible {@code POST /v1/embeddings} that answers after a fixed latency, and
 * optionally refuses a share of requests with 429 (with {@code retry-after-ms}) or 500.
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

    public FakeEmbeddingServer(long latencyMillis, int dimensions) throws IOException {
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
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.createContext("/v1/embeddings", this::handle);
        server.setExecutor(pool);
        server.start();
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
            busyNanos.addAndGet(System.nanoTime() - start);
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
    }
}
