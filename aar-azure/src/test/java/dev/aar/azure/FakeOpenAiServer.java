package dev.aar.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A local stand-in for the OpenAI embeddings endpoint (JDK HTTP server on 127.0.0.1) that answers
 * with float or Base64 vectors as asked, or with scripted failures: slow answers, error statuses
 * with headers, bodies of any shape (endless, cut off), or no answer at all. Records every request.
 */
final class FakeOpenAiServer implements AutoCloseable {

    /** One request as the server saw it. */
    record Request(String method, String path, String query, Map<String, String> headers, JsonNode body) {
        List<String> inputs() {
            List<String> out = new ArrayList<>();
            body.get("input").forEach(n -> out.add(n.asText()));
            return out;
        }
    }

    /** What to do with the next request. */
    sealed interface Reply {
    }

    record Embeddings(Duration delay) implements Reply {
    }

    record Status(int code, Map<String, String> headers, String body) implements Reply {
    }

    record Hang() implements Reply {
    }

    /** A 200 answer with exactly this body, sent chunked; an endless body is sent until the client goes away. */
    record Raw(InputStream body) implements Reply {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final ConcurrentLinkedDeque<Reply> script = new ConcurrentLinkedDeque<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch closing = new CountDownLatch(1);
    volatile int dimensions = 1536;
    volatile boolean reverseOrder;

    FakeOpenAiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Queues replies for the next requests; when the queue is empty, requests get embeddings. */
    FakeOpenAiServer then(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The vector the server returns for {@code input}: deterministic, exactly representable as float32. */
    static float[] vectorFor(String input, int dimensions) {
        float[] v = new float[dimensions];
        int h = input.hashCode();
        for (int i = 0; i < dimensions; i++) {
            v[i] = ((h + i * 31) % 1000) / 1024f;
        }
        return v;
    }

    /** Tokens the server bills for {@code input}: one per space-separated word. */
    static int tokensFor(String input) {
        return input.split(" ").length;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(), headers, body);
            requests.add(request);
            Reply reply = script.poll();
            if (reply == null) {
                reply = new Embeddings(Duration.ZERO);
            }
            if (reply instanceof Hang) {
                closing.await(30, TimeUnit.SECONDS);
                return;
            }
            if (reply instanceof Raw raw) {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    raw.body().transferTo(out);
                } catch (IOException expected) {
                    // the client stopped reading an endless body
                }
                return;
            }
            if (reply instanceof Status s) {
                s.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                send(exchange, s.code(), s.body());
                return;
            }
            Duration delay = ((Embeddings) reply).delay();
            if (!delay.isZero() && closing.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
            send(exchange, 200, embeddings(request));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String embeddings(Request request) {
        boolean base64 = "base64".equals(request.body().path("encoding_format").asText("float"));
        int dims = request.body().has("dimensions") ? request.body().get("dimensions").asInt() : dimensions;
        List<String> inputs = request.inputs();
        ObjectNode root = JSON.createObjectNode().put("object", "list").put("model", request.body().get("model").asText());
        ArrayNode data = root.putArray("data");
        int tokens = 0;
        for (int j = 0; j < inputs.size(); j++) {
            int i = reverseOrder ? inputs.size() - 1 - j : j;
            float[] v = vectorFor(inputs.get(i), dims);
            tokens += tokensFor(inputs.get(i));
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            if (base64) {
                ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : v) {
                    buf.putFloat(f);
                }
                item.put("embedding", Base64.getEncoder().encodeToString(buf.array()));
            } else {
                ArrayNode arr = item.putArray("embedding");
                for (float f : v) {
                    arr.add(f);
                }
            }
        }
        root.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        return root.toString();
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
