package dev.aar.azure.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.core.RequestOptions;
import com.openai.core.Timeout;
import com.openai.core.http.HttpMethod;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpRequestBody;
import com.openai.core.http.HttpResponse;
import com.openai.errors.OpenAIIoException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import dev.aar.embedding.EmbeddingProviderContract.CountingSlot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OkHttpTransportTest {

    private static final Timeout DEFAULT = Timeout.builder().connect(Duration.ofSeconds(10)).read(Duration.ofSeconds(30))
            .write(Duration.ofSeconds(30)).request(Duration.ofSeconds(60)).build();

    private HttpServer server;
    private final AtomicReference<Seen> seen = new AtomicReference<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private OkHttpTransport transport;

    /** What the server received. */
    record Seen(String method, String rawPath, String rawQuery, Map<String, String> headers, byte[] body) {
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        transport = new OkHttpTransport(DEFAULT);
    }

    @AfterEach
    void stop() {
        release.countDown();
        transport.close();
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new ConcurrentHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), String.join(",", values)));
            seen.set(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), headers, body));
            if (exchange.getRequestURI().getPath().endsWith("/hang")) {
                release.await(30, TimeUnit.SECONDS);
                return;
            }
            byte[] answer = ("{\"got\":" + body.length + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("x-request-id", "req-1");
            exchange.sendResponseHeaders(201, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    @Test
    void everySocketHasNagleOff() throws IOException {
        assertThat(transport.okHttpClient().socketFactory()).isInstanceOf(OkHttpTransport.NoDelaySocketFactory.class);
        OkHttpTransport.NoDelaySocketFactory sockets = new OkHttpTransport.NoDelaySocketFactory();
        try (ServerSocket listener = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
                Socket unconnected = sockets.createSocket();
                Socket connected = sockets.createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
                Socket byName = sockets.createSocket("127.0.0.1", listener.getLocalPort())) {
            assertThat(unconnected.getTcpNoDelay()).isTrue();
            assertThat(connected.getTcpNoDelay()).isTrue();
            assertThat(connected.isConnected()).isTrue();
            assertThat(byName.getTcpNoDelay()).isTrue();
        }
    }

    @Test
    void theFactoryReportsARefusedConnection() throws IOException {
        int closedPort = closedPort();
        assertThatThrownBy(() -> new OkHttpTransport.NoDelaySocketFactory().createSocket("127.0.0.1", closedPort))
                .isInstanceOf(IOException.class);
    }

    @Test
    void sendsTheRequestAsOpenAiJavaBuiltItAndReturnsTheAnswer() throws IOException {
        byte[] body = new byte[300_000]; // larger than a socket buffer, written in pieces
        new Random(7).nextBytes(body);
        HttpRequest request = HttpRequest.builder().method(HttpMethod.POST).baseUrl(baseUrl())
                .addPathSegments("openai", "deployments", "my embeddings", "embeddings")
                .putQueryParam("api-version", "2024-06-01")
                .putHeader("api-key", "k-123")
                .putHeaders("x-many", java.util.List.of("a", "b"))
                .body(new Bytes(body, "application/json"))
                .build();
        try (HttpResponse response = transport.execute(request, RequestOptions.none())) {
            assertThat(response.statusCode()).isEqualTo(201);
            assertThat(response.headers().values("x-request-id")).containsExactly("req-1");
            assertThat(new String(response.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"got\":300000}");
        }
        Seen s = seen.get();
        assertThat(s.method()).isEqualTo("POST");
        assertThat(s.rawPath()).isEqualTo("/v1/openai/deployments/my%20embeddings/embeddings");
        assertThat(s.rawQuery()).isEqualTo("api-version=2024-06-01");
        assertThat(s.headers()).containsEntry("api-key", "k-123").containsEntry("x-many", "a,b")
                .containsEntry("content-type", "application/json").containsEntry("content-length", "300000")
                .containsEntry("x-stainless-read-timeout", "30").containsEntry("x-stainless-timeout", "60");
        assertThat(s.body()).isEqualTo(body);
    }

    @Test
    void aPostWithoutABodySendsAnEmptyOne() throws IOException {
        HttpRequest request = HttpRequest.builder().method(HttpMethod.POST).baseUrl(baseUrl()).addPathSegment("x").build();
        try (HttpResponse response = transport.execute(request, RequestOptions.none())) {
            assertThat(response.statusCode()).isEqualTo(201);
        }
        assertThat(seen.get().body()).isEmpty();
        assertThat(seen.get().headers()).containsEntry("content-length", "0");
    }

    @Test
    void aRequestsOwnTimeoutReplacesTheDefaultAndEndsInAnIoError() {
        HttpRequest request = HttpRequest.builder().method(HttpMethod.GET).baseUrl(baseUrl()).addPathSegment("hang").build();
        RequestOptions shortWait = RequestOptions.builder().timeout(Timeout.builder().connect(Duration.ofSeconds(5))
                .read(Duration.ofMillis(200)).write(Duration.ofSeconds(5)).request(Duration.ofSeconds(5)).build()).build();
        // OkHttp's read timeout is the socket's own or its watchdog closing the socket, whichever fires first:
        // either way the call fails with a SocketTimeoutException, whose own cause differs
        assertThatThrownBy(() -> transport.execute(request, shortWait))
                .isInstanceOf(OpenAIIoException.class)
                .hasCauseInstanceOf(java.net.SocketTimeoutException.class);
        assertThat(seen.get().headers()).containsEntry("x-stainless-read-timeout", "0").containsEntry("x-stainless-timeout", "5");
    }

    @Test
    void aRefusedConnectionIsAnIoError() throws IOException {
        int closedPort = closedPort();
        HttpRequest request = HttpRequest.builder().method(HttpMethod.GET).baseUrl("http://127.0.0.1:" + closedPort).build();
        assertThatThrownBy(() -> transport.execute(request, RequestOptions.none())).isInstanceOf(OpenAIIoException.class)
                .hasRootCauseInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void asyncRequestsCompleteWithTheAnswerOrAnIoError() throws Exception {
        HttpRequest ok = HttpRequest.builder().method(HttpMethod.PUT).baseUrl(baseUrl()).addPathSegment("a")
                .body(new Bytes("{}".getBytes(StandardCharsets.UTF_8), "application/json")).build();
        try (HttpResponse response = transport.executeAsync(ok, RequestOptions.none()).get(30, TimeUnit.SECONDS)) {
            assertThat(response.statusCode()).isEqualTo(201);
            assertThat(seen.get().method()).isEqualTo("PUT");
        }
        int closedPort = closedPort();
        HttpRequest refused = HttpRequest.builder().method(HttpMethod.GET).baseUrl("http://127.0.0.1:" + closedPort).build();
        assertThatThrownBy(() -> transport.executeAsync(refused, RequestOptions.none()).join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(OpenAIIoException.class);
    }

    @Test
    void theRequestBodyIsClosedAfterTheExchange() throws IOException {
        Bytes body = new Bytes("{}".getBytes(StandardCharsets.UTF_8), "application/json");
        HttpRequest request = HttpRequest.builder().method(HttpMethod.POST).baseUrl(baseUrl()).body(body).build();
        transport.execute(request, RequestOptions.none()).close();
        assertThat(body.closed).isTrue();
    }

    @Test
    void aRequestInsideHoldingIsSerializedBeforeItTakesTheSlotAndGivesItBackWithTheAnswerInMemory() throws IOException {
        byte[] body = new byte[300_000];
        new Random(11).nextBytes(body);
        Bytes requestBody = new Bytes(body, "application/json");
        java.util.concurrent.atomic.AtomicInteger writesWhenAcquired = new java.util.concurrent.atomic.AtomicInteger(-1);
        CountingSlot slot = new CountingSlot(() -> writesWhenAcquired.set(requestBody.writes));
        HttpRequest request = HttpRequest.builder().method(HttpMethod.POST).baseUrl(baseUrl()).addPathSegment("embeddings")
                .body(requestBody).build();

        HttpResponse response = OkHttpTransport.holding(slot, 1_000, () -> transport.execute(request, RequestOptions.none()));

        try (response) {
            assertThat(writesWhenAcquired.get()).as("body serialized before the slot was taken").isEqualTo(1);
            assertThat(slot.acquired()).isEqualTo(1);
            assertThat(slot.holds()).as("given back before the caller reads the answer").isFalse();
            server.stop(0); // the answer is in memory already
            assertThat(response.statusCode()).isEqualTo(201);
            assertThat(response.headers().values("x-request-id")).containsExactly("req-1");
            assertThat(new String(response.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"got\":300000}");
        }
        assertThat(seen.get().body()).isEqualTo(body);
        assertThat(seen.get().headers()).containsEntry("content-length", "300000");
        assertThat(requestBody.closed).isTrue();
    }

    @Test
    void holdingReadsAnAnswerOnlyToOneByteBeyondTheCallersLimit() throws IOException {
        HttpRequest request = HttpRequest.builder().method(HttpMethod.POST).baseUrl(baseUrl())
                .body(new Bytes(new byte[300_000], "application/json")).build();

        try (HttpResponse response = OkHttpTransport.holding(new CountingSlot(), 5,
                () -> transport.execute(request, RequestOptions.none()))) {
            assertThat(new String(response.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"got\"");
        }
    }

    @Test
    void aFailedExchangeInsideHoldingGivesTheSlotBack() throws IOException {
        int closedPort = closedPort();
        CountingSlot slot = new CountingSlot();
        HttpRequest request = HttpRequest.builder().method(HttpMethod.GET).baseUrl("http://127.0.0.1:" + closedPort).build();

        assertThatThrownBy(() -> OkHttpTransport.holding(slot, 1_000, () -> transport.execute(request, RequestOptions.none())))
                .isInstanceOf(OpenAIIoException.class);
        assertThat(slot.acquired()).isEqualTo(1);
        assertThat(slot.holds()).isFalse();
    }

    @Test
    void outsideHoldingNoSlotIsTaken() throws IOException {
        CountingSlot slot = new CountingSlot();
        OkHttpTransport.holding(slot, 1_000, () -> "nothing sent");
        HttpRequest request = HttpRequest.builder().method(HttpMethod.GET).baseUrl(baseUrl()).build();

        transport.execute(request, RequestOptions.none()).close();

        assertThat(slot.acquired()).isZero();
    }

    /** A loopback port nothing listens on (it did a moment ago). */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A repeatable body of fixed bytes. */
    private static final class Bytes implements HttpRequestBody {
        private final byte[] bytes;
        private final String type;
        volatile boolean closed;
        volatile int writes;

        Bytes(byte[] bytes, String type) {
            this.bytes = bytes;
            this.type = type;
        }

        @Override
        public void writeTo(OutputStream out) {
            writes++;
            try {
                out.write(bytes);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public String contentType() {
            return type;
        }

        @Override
        public long contentLength() {
            return bytes.length;
        }

        @Override
        public boolean repeatable() {
            return true;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
