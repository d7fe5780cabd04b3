package dev.aar.spring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OpenAI-compatible {@code POST …/embeddings} on 127.0.0.1 (JDK HTTP server, port 0): every input gets a
 * vector of 1536 floats whose first element is the input's length, as floats or Base64 as asked. Records what it saw.
 */
final class FakeEmbeddingsServer implements AutoCloseable {

    static final int DIMENSIONS = 1536;

    /** One request: its path, its {@code Authorization} header and its JSON body. */
    record Seen(String path, String authorization, JsonNode body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    final List<Seen> seen = new CopyOnWriteArrayList<>();

    FakeEmbeddingsServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    /** Base URL in OpenAI's form, with {@code /v1}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            seen.add(new Seen(exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("Authorization"), body));
            boolean base64 = "base64".equals(body.path("encoding_format").asText());
            ObjectNode root = JSON.createObjectNode().put("object", "list").put("model", body.path("model").asText());
            ArrayNode data = root.putArray("data");
            int index = 0;
            for (JsonNode input : body.get("input")) {
                float[] v = new float[DIMENSIONS];
                v[0] = input.asText().length();
                ObjectNode item = data.addObject().put("object", "embedding").put("index", index++);
                if (base64) {
                    ByteBuffer bytes = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                    bytes.asFloatBuffer().put(v);
                    item.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
                } else {
                    ArrayNode floats = item.putArray("embedding");
                    for (float f : v) {
                        floats.add(f);
                    }
                }
            }
            root.putObject("usage").put("prompt_tokens", index).put("total_tokens", index);
            byte[] out = root.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, out.length);
            exchange.getResponseBody().write(out);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
