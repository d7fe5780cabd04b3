package dev.aar.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local stand-in for the chat completions endpoint (JDK HTTP server on 127.0.0.1): answers each
 * request with the next scripted reply (a completion with given content, or an error status with
 * headers) and records what it was sent.
 */
final class FakeChatServer implements AutoCloseable {

    record Request(String method, String path, String query, Map<String, String> headers, JsonNode body) {
        String system() {
            return body.get("messages").get(0).get("content").asText();
        }

        String user() {
            return body.get("messages").get(1).get("content").asText();
        }
    }

    sealed interface Reply {
    }

    record Completion(String content, String finishReason) implements Reply {
    }

    record Status(int code, Map<String, String> headers, String body) implements Reply {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final ConcurrentLinkedDeque<Reply> script = new ConcurrentLinkedDeque<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

    FakeChatServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    FakeChatServer then(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    FakeChatServer thenAnswer(String content) {
        return then(new Completion(content, "stop"));
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(), headers, body));
            Reply reply = script.poll();
            if (reply == null) {
                send(exchange, 500, "{\"error\":{\"message\":\"no reply scripted\"}}");
            } else if (reply instanceof Status s) {
                s.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                send(exchange, s.code(), s.body());
            } else {
                Completion c = (Completion) reply;
                send(exchange, 200, completion(body.path("model").asText(), c));
            }
        }
    }

    private static String completion(String model, Completion c) {
        ObjectNode root = JSON.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion")
                .put("created", 1_700_000_000L).put("model", model);
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0).put("finish_reason", c.finishReason());
        choice.putNull("logprobs");
        choice.putObject("message").put("role", "assistant").put("content", c.content()).putNull("refusal");
        root.putObject("usage").put("prompt_tokens", 1234).put("completion_tokens", 321).put("total_tokens", 1555);
        return root.toString();
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
