package dev.aar.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientImpl;
import com.openai.client.okhttp.OkHttpClient;
import com.openai.core.ClientOptions;
import com.openai.core.RequestOptions;
import com.openai.core.http.Headers;
import com.openai.core.http.HttpClient;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpResponse;
import dev.aar.azure.FakeOpenAiServer.Raw;
import dev.aar.azure.FakeOpenAiServer.Status;
import dev.aar.azure.OpenAiEmbeddingConfig.Service;
import dev.aar.azure.OpenAiEmbeddingConfig.VectorEncoding;
import dev.aar.embedding.EmbeddingProviderException;
import dev.aar.embedding.EmbeddingResult;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import dev.aar.embedding.EmbeddingProviderContract.CountingSlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link OpenAiEmbeddingProvider} reads the answer's body itself: the same vectors in both encodings and on
 * both services, broken and hostile bodies over real HTTP, and every body closed whatever happened.
 */
class OpenAiEmbeddingProviderAnswerTest extends FakeServerProviderTest {

    OpenAiEmbeddingProvider openAi(VectorEncoding encoding) {
        // a timeout that an endless body would run into: an answer in time shows the reader stopped by itself
        return openAi(encoding, Duration.ofSeconds(20));
    }

    static List<String> texts(int n) {
        return IntStream.range(0, n).mapToObj(i -> "text " + i + " of a file").toList();
    }

    static Raw raw(String body) {
        return new Raw(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void bothEncodingsOnBothServicesGiveTheServersVectorsInInputOrder() {
        server.reverseOrder = true;
        List<String> inputs = texts(37);
        List<EmbeddingResult> results = new ArrayList<>();
        for (VectorEncoding encoding : List.of(VectorEncoding.BASE64, VectorEncoding.FLOAT)) {
            results.add(openAi(encoding).embed(inputs));
            provider.close();
            provider = OpenAiEmbeddingProvider.create(OpenAiEmbeddingConfig.azure(server.url("/"), KEY, "emb")
                    .encoding(encoding).build());
            results.add(provider.embed(inputs));
            provider.close();
            provider = null;
        }

        assertThat(server.requests()).extracting(r -> r.body().get("encoding_format").asText())
                .containsExactly("base64", "base64", "float", "float");
        assertThat(server.requests()).extracting(FakeOpenAiServer.Request::path)
                .containsExactly("/v1/embeddings", "/openai/deployments/emb/embeddings", "/v1/embeddings",
                        "/openai/deployments/emb/embeddings");
        for (EmbeddingResult result : results) {
            for (int i = 0; i < inputs.size(); i++) {
                assertThat(result.vectors().get(i)).containsExactly(FakeOpenAiServer.vectorFor(inputs.get(i), 1536));
            }
            assertThat(result.tokensUsed()).isEqualTo(inputs.stream().mapToLong(FakeOpenAiServer::tokensFor).sum());
        }
    }

    /** A whole entry of {@code data}: index 0, a Base64 vector of 1,536 zeros. */
    static final String ENTRY = "{\"index\":0,\"embedding\":\"" + "A".repeat(8192) + "\"}";

    static Stream<Arguments> brokenBodies() {
        String vector = "{\"data\":[{\"index\":0,\"embedding\":";
        return Stream.of(
                Arguments.of("a proxy's page", raw("<html><body>Service Unavailable</body></html>"), "not valid JSON"),
                Arguments.of("truncated JSON", raw(vector + "[0.1,0.2"), "not valid JSON"),
                Arguments.of("a short vector", raw(vector + "\"AAAAAAAAAAA=\"}]}"), "a vector has 2 dimensions, but 1536"),
                Arguments.of("no usage", raw("{\"data\":[" + ENTRY + "]}"), "`usage` is not set"),
                Arguments.of("two vectors for one input", raw("{\"data\":[" + ENTRY + "," + ENTRY + "]}"),
                        "more than 1 vectors for 1 inputs"),
                Arguments.of("endless data", new Raw(new EndlessBody("{\"data\":[", ENTRY + ",")),
                        "more than 1 vectors for 1 inputs"),
                Arguments.of("endless Base64", new Raw(new EndlessBody(vector + "\"", "AAAA")), "out of bounds"),
                Arguments.of("endless numbers", new Raw(new EndlessBody(vector + "[", "0.25,")), "out of bounds"),
                Arguments.of("endless string", new Raw(new EndlessBody("{\"junk\":\"", "x")), "out of bounds"),
                Arguments.of("endless nesting", new Raw(new EndlessBody("{\"junk\":", "[{\"a\":")), "out of bounds"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenBodies")
    void aBrokenOrHostileBodyIsUnusableAtOnce(String what, Raw body, String message) {
        server.then(body);

        EmbeddingProviderException e = catchThrowableOfType(EmbeddingProviderException.class,
                () -> openAi(VectorEncoding.BASE64).embed(List.of("x")));

        // status 200, not 0: the reader stopped by itself, long before the 20 s timeout
        assertThat(e.statusCode()).isEqualTo(200);
        assertThat(e.isTransient()).isFalse();
        assertThat(e.getMessage()).contains("answer is unusable", message);
        assertThat(provider.embed(List.of("y")).vectors()).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenBodies")
    void aBrokenOrHostileBodyReadWhileHoldingARequestSlotIsUnusableAtOnceAndTheSlotGivenBack(String what, Raw body,
            String message) {
        server.then(body);
        CountingSlot slot = new CountingSlot();

        EmbeddingProviderException e = catchThrowableOfType(EmbeddingProviderException.class,
                () -> openAi(VectorEncoding.BASE64).embed(List.of("x"), slot));

        // the answer is read into memory at most one byte past the reader's limit, which then trips as before
        assertThat(e.statusCode()).isEqualTo(200);
        assertThat(e.isTransient()).isFalse();
        assertThat(e.getMessage()).contains("answer is unusable", message);
        assertThat(slot.acquired()).isEqualTo(1);
        assertThat(slot.holds()).isFalse();
        assertThat(provider.embed(List.of("y"), slot).vectors()).hasSize(1);
    }

    @Test
    void anAnswerThatBreaksOffIsTransientLikeNoAnswer() throws Exception {
        // a server that promises 10,000 bytes, sends a few and hangs up: the JDK's server would not hang up
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread answer = new Thread(() -> {
                try (Socket s = socket.accept()) {
                    InputStream in = s.getInputStream();
                    String head = readHead(in);
                    Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
                    in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
                    s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n"
                            + "{\"data\":[{\"index\":0,\"embedding\":[0.1,0.2,").getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                } catch (IOException ignored) {
                    // the test fails on what the client saw
                }
            });
            answer.start();
            provider = OpenAiEmbeddingProvider.create(OpenAiEmbeddingConfig.openAi(KEY)
                    .baseUrl("http://127.0.0.1:" + socket.getLocalPort() + "/v1").timeout(Duration.ofSeconds(20)).build());

            EmbeddingProviderException e = catchThrowableOfType(EmbeddingProviderException.class,
                    () -> provider.embed(List.of("x")));
            answer.join();

            assertThat(e.statusCode()).isZero();
            assertThat(e.isTransient()).isTrue();
            // OkHttp's word for the early end of the body, not the 20 s timeout's
            assertThat(e.getMessage()).contains("gave no answer", "unexpected end of stream");
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request ended early");
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Test
    void everyBodyIsClosedWhateverTheAnswer() {
        Recording http = new Recording(OkHttpClient.builder().timeout(Duration.ofSeconds(20)).build());
        OpenAIClient client = new OpenAIClientImpl(ClientOptions.builder().httpClient(http).baseUrl(server.url("/v1"))
                .apiKey(KEY).maxRetries(0).timeout(Duration.ofSeconds(20)).build());
        try {
            OpenAiEmbeddingProvider own = OpenAiEmbeddingProvider.of(client,
                    OpenAiEmbeddingConfig.forClient(Service.OPENAI).build());
            server.then(raw("not json"),
                    new Raw(new EndlessBody("{\"data\":[", ENTRY + ",")),
                    new Raw(new EndlessBody("{\"junk\":\"", "y")),
                    new Status(401, Map.of(), "{\"error\":{\"message\":\"bad key\"}}"),
                    new Status(429, Map.of("Retry-After", "3"), "{\"error\":{\"message\":\"slow down\"}}"),
                    new Status(500, Map.of(), ""));
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                statuses.add(catchThrowableOfType(EmbeddingProviderException.class, () -> own.embed(List.of("x"))).statusCode());
            }
            assertThat(own.embed(texts(3)).vectors()).hasSize(3);

            assertThat(statuses).containsExactly(200, 200, 200, 401, 429, 500);
            assertThat(http.responses).hasSize(7).allSatisfy(r -> assertThat(r.released()).isTrue());
        } finally {
            client.close();
        }
    }

    /** openai-java's HTTP client, recording whether each response (or its body) was closed. */
    static final class Recording implements HttpClient {
        private final HttpClient delegate;
        final List<Tracked> responses = Collections.synchronizedList(new ArrayList<>());

        Recording(HttpClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public HttpResponse execute(HttpRequest request, RequestOptions options) {
            Tracked response = new Tracked(delegate.execute(request, options));
            responses.add(response);
            return response;
        }

        @Override
        public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions options) {
            throw new UnsupportedOperationException("the provider calls synchronously");
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    static final class Tracked implements HttpResponse {
        private final HttpResponse response;
        private final InputStream body;
        private volatile boolean closed;
        private volatile boolean bodyClosed;

        Tracked(HttpResponse response) {
            this.response = response;
            this.body = new FilterInputStream(response.body()) {
                @Override
                public void close() throws IOException {
                    bodyClosed = true;
                    super.close();
                }
            };
        }

        boolean released() {
            return closed || bodyClosed;
        }

        @Override
        public int statusCode() {
            return response.statusCode();
        }

        @Override
        public Headers headers() {
            return response.headers();
        }

        @Override
        public InputStream body() {
            return body;
        }

        @Override
        public void close() {
            closed = true;
            response.close();
        }
    }
}
