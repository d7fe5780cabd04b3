package dev.aar.benchmarks.indexing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aar.embedding.EmbeddingModel;
import dev.aar.embedding.EmbeddingProvider;
import dev.aar.embedding.EmbeddingProviderException;
import dev.aar.embedding.EmbeddingResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A minimal OpenAI-compatible embeddings client for the benchmark; reports status and Retry-After precisely. */
final class HttpEmbeddingProvider implements EmbeddingProvider {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI uri;
    private final EmbeddingModel model;

    private final boolean base64;

    /**
     * @param base64 asks for {@code encoding_format: base64}, as the SDK's {@code OpenAiEmbeddingProvider}
     *     does by default (a quarter of the bytes, no float parsing); false asks for JSON floats
     */
    HttpEmbeddingProvider(String url, EmbeddingModel model, boolean base64) {
        this.uri = URI.create(url);
        this.model = model;
        this.base64 = base64;
    }

    @Override
    public EmbeddingModel model() {
        return model;
    }

    @Override
    public EmbeddingResult embed(List<String> inputs) {
        ObjectNode body = JSON.createObjectNode().put("model", model.name());
        if (base64) {
            body.put("encoding_format", "base64");
        }
        inputs.forEach(body.putArray("input")::add);
        HttpResponse<byte[]> response;
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
            response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new EmbeddingProviderException("no response: " + e.getMessage(), 0, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddingProviderException("interrupted", 0, null, e);
        }
        if (response.statusCode() != 200) {
            Duration retryAfter = response.headers().firstValue("retry-after-ms").map(ms -> Duration.ofMillis(Long.parseLong(ms)))
                    .or(() -> response.headers().firstValue("retry-after").map(s -> Duration.ofSeconds(Long.parseLong(s))))
                    .orElse(null);
            throw new EmbeddingProviderException("HTTP " + response.statusCode(), response.statusCode(), retryAfter, null);
        }
        try (JsonParser parser = JSON.getFactory().createParser(response.body())) {
            // streamed: a tree of 25 600 number nodes per response would cost more than the rest of the client
            List<float[]> vectors = new ArrayList<>(inputs.size());
            long tokens = 0;
            float[] buffer = new float[model.dimensions()];
            for (JsonToken t; (t = parser.nextToken()) != null;) {
                if (t != JsonToken.FIELD_NAME) {
                    continue;
                }
                String name = parser.currentName();
                if ("embedding".equals(name) && parser.nextToken() == JsonToken.VALUE_STRING) {
                    java.nio.FloatBuffer floats = java.nio.ByteBuffer.wrap(java.util.Base64.getDecoder().decode(parser.getText()))
                            .order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                    float[] v = new float[floats.remaining()];
                    floats.get(v);
                    vectors.add(v);
                } else if ("embedding".equals(name)) {
                    int n = 0;
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        if (n == buffer.length) {
                            buffer = java.util.Arrays.copyOf(buffer, n * 2);
                        }
                        buffer[n++] = parser.getFloatValue();
                    }
                    vectors.add(java.util.Arrays.copyOf(buffer, n));
                } else if ("total_tokens".equals(name)) {
                    parser.nextToken();
                    tokens = parser.getLongValue();
                }
            }
            return new EmbeddingResult(vectors, tokens);
        } catch (IOException e) {
            throw new EmbeddingProviderException("unreadable response: " + e.getMessage(), 200, null, e);
        }
    }
}
