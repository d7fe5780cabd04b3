package dev.aar.benchmarks.indexing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
final class FakeEmbeddingServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(64);
    private final long latencyMillis;
    private final int dimensions;
    private volatile double share429;
    private volatile double share500;
    final AtomicInteger ok = new AtomicInteger();
    final AtomicInteger throttled = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicLong inputs = new AtomicLong();
    /** Sum over requests of the time from reading the request to the end of the response, in nanoseconds. */
    final AtomicLong busyNanos = new AtomicLong();

    FakeEmbeddingServer(long latencyMillis, int dimensions) throws IOException {
        this.latencyMillis = latencyMillis;
        this.dimensions = dimensions;
        // without it the JDK server leaves Nagle on, and small writes wait for delayed ACKs (~40 ms each)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.createContext("/v1/embeddings", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/embeddings";
    }

    void faults(double share429, double share500) {
        this.share429 = share429;
        this.share500 = share500;
    }

    private void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        try (exchange) {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
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
            ArrayNode input = (ArrayNode) body.get("input");
            ObjectNode response = JSON.createObjectNode().put("object", "list").put("model", body.path("model").asText());
            ArrayNode data = response.putArray("data");
            long tokens = 0;
            for (int i = 0; i < input.size(); i++) {
                String text = input.get(i).asText();
                tokens += Math.max(1, text.length() / 4);
                ArrayNode vector = data.addObject().put("object", "embedding").put("index", i).putArray("embedding");
                int seed = text.hashCode();
                for (int d = 0; d < dimensions; d++) {
                    seed = seed * 1_103_515_245 + 12_345;
                    vector.add((seed >> 8) / (float) (1 << 23));
                }
            }
            response.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
            inputs.addAndGet(input.size());
            ok.incrementAndGet();
            send(exchange, 200, JSON.writeValueAsString(response));
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
