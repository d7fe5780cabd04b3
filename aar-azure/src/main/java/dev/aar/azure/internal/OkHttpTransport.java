package dev.aar.azure.internal;

import com.openai.core.RequestOptions;
import com.openai.core.Timeout;
import com.openai.core.http.Headers;
import com.openai.core.http.HttpClient;
import com.openai.core.http.HttpMethod;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpRequestBody;
import com.openai.core.http.HttpResponse;
import com.openai.errors.OpenAIIoException;
import dev.aar.embedding.RequestSlot;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javax.net.SocketFactory;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSink;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;

/**
 * openai-java's HTTP transport, over OkHttp like openai-java's own, but with {@code TCP_NODELAY} on
 * every socket.
 *
 * <p>Why not openai-java's {@code OpenAIOkHttpClient}: its OkHttp client leaves Nagle's algorithm on,
 * and its builder has no way to change that. An embedding request is a few hundred KB written in 8 KB
 * pieces; the last piece then waits for the server to acknowledge the earlier ones, which a server
 * may delay by tens of milliseconds. Measured on the 2-core benchmark machine, one 250 KB request
 * answered by a local server with no latency took 15–22 ms with Nagle on and 2.8 ms with it off
 * ({@code OpenAiTransportBenchmark}, docs/BENCHMARKS.md). At MaxConcurrency requests of about 100 ms
 * each, that wait was a tenth of every request slot.
 *
 * <p>Everything else is as openai-java's transport does it: the URL is the request's base URL, path
 * segments and query parameters; the request's headers are sent as they are; a method that needs a
 * body gets an empty one; the client's connect, read, write and whole-call timeouts apply, and a
 * request's own {@link RequestOptions#getTimeout() timeout} replaces them; a failure to connect or
 * to exchange the request is an {@link OpenAIIoException}. openai-java puts authentication, the Azure
 * URL shape and the error mapping on the request and response; none of it happens here.
 *
 * <p>A request sent inside {@link #holding} on the same thread is an exchange that holds a
 * {@link RequestSlot}: its body is serialized first, then the slot is taken, the request sent and the
 * answer's body read into memory (at most a given number of bytes, one more than the caller accepts,
 * so that its own limit still trips), and the slot given back before openai-java and the caller see
 * the answer. Only the time on the wire then holds a place among the requests in flight.
 */
public final class OkHttpTransport implements HttpClient {

    /** The slot the next request of this thread holds, set by {@link #holding}. */
    private static final ThreadLocal<Held> HELD = new ThreadLocal<>();

    private final OkHttpClient client;
    private final Timeout defaults;

    private record Held(RequestSlot slot, long maxBodyBytes) {
    }

    /** @param timeout the default timeouts of every request */
    public OkHttpTransport(Timeout timeout) {
        this.defaults = timeout;
        this.client = withTimeout(new OkHttpClient.Builder().socketFactory(new NoDelaySocketFactory()), timeout).build();
        // openai-java's transport lets as many requests go to one host as to all of them; so does this one
        client.dispatcher().setMaxRequestsPerHost(client.dispatcher().getMaxRequests());
    }

    /** The OkHttp client underneath (for tests). */
    OkHttpClient okHttpClient() {
        return client;
    }

    /**
     * Runs {@code call}, whose requests through any {@code OkHttpTransport} on this thread each hold
     * {@code slot} only while on the wire, with their answers' bodies read into memory, at most
     * {@code maxBodyBytes} + 1 bytes of each (the rest is not read).
     */
    public static <T> T holding(RequestSlot slot, long maxBodyBytes, Supplier<T> call) {
        Held outer = HELD.get();
        HELD.set(new Held(Objects.requireNonNull(slot, "slot"), maxBodyBytes));
        try {
            return call.get();
        } finally {
            HELD.set(outer);
        }
    }

    @Override
    public HttpResponse execute(HttpRequest request, RequestOptions options) {
        Held held = HELD.get();
        if (held != null) {
            return executeHolding(request, options, held);
        }
        Call call = newCall(request, options, false);
        try {
            return new OkHttpResponse(call.execute(), null);
        } catch (IOException e) {
            throw new OpenAIIoException("Request failed", e);
        } finally {
            closeBody(request);
        }
    }

    private HttpResponse executeHolding(HttpRequest request, RequestOptions options, Held held) {
        Call call;
        try {
            call = newCall(request, options, true); // serializes the body: no place needed for that
        } catch (RuntimeException e) {
            closeBody(request);
            throw e;
        }
        held.slot().acquire();
        try (Response response = call.execute()) {
            return new OkHttpResponse(response, readAtMost(response, held.maxBodyBytes() + 1));
        } catch (IOException e) {
            throw new OpenAIIoException("Request failed", e);
        } finally {
            held.slot().release();
            closeBody(request);
        }
    }

    /**
     * Reads the body of {@code response} up to {@code limit} bytes, or to its end if that comes first,
     * into okio's pooled segments (an answer of a few hundred KB as one array would be a humongous
     * object to G1, allocated outside the young generation).
     */
    private static Buffer readAtMost(Response response, long limit) throws IOException {
        Buffer read = new Buffer();
        ResponseBody body = response.body();
        if (body == null) {
            return read;
        }
        BufferedSource source = body.source();
        while (read.size() < limit && source.read(read, Math.min(64 * 1024, limit - read.size())) != -1) {
            // keep reading
        }
        return read;
    }

    @Override
    public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions options) {
        CompletableFuture<HttpResponse> future = new CompletableFuture<>();
        Call call = newCall(request, options, false);
        call.enqueue(new Callback() {
            @Override
            public void onResponse(Call c, Response response) {
                closeBody(request);
                if (!future.complete(new OkHttpResponse(response, null))) {
                    response.close(); // the caller cancelled: nobody reads it
                }
            }

            @Override
            public void onFailure(Call c, IOException e) {
                closeBody(request);
                future.completeExceptionally(new OpenAIIoException("Request failed", e));
            }
        });
        future.whenComplete((response, error) -> {
            if (future.isCancelled()) {
                call.cancel();
            }
        });
        return future;
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    private Call newCall(HttpRequest request, RequestOptions options, boolean serializeNow) {
        Timeout timeout = options.getTimeout();
        OkHttpClient forCall = timeout == null || timeout.equals(defaults) ? client
                : withTimeout(client.newBuilder(), timeout).build();
        return forCall.newCall(toRequest(request, forCall, serializeNow));
    }

    private static OkHttpClient.Builder withTimeout(OkHttpClient.Builder builder, Timeout timeout) {
        return builder.connectTimeout(timeout.connect()).readTimeout(timeout.read()).writeTimeout(timeout.write())
                .callTimeout(timeout.request());
    }

    private static Request toRequest(HttpRequest request, OkHttpClient forCall, boolean serializeNow) {
        Request.Builder builder = new Request.Builder().url(toUrl(request));
        HttpRequestBody body = request.body();
        RequestBody okBody = body == null ? (requiresBody(request.method()) ? RequestBody.create(new byte[0], null) : null)
                : new Body(body, serializeNow);
        builder.method(request.method().name(), okBody);
        Headers headers = request.headers();
        for (String name : headers.names()) {
            for (String value : headers.values(name)) {
                builder.addHeader(name, value);
            }
        }
        // tell the server how long this client waits, as openai-java's transport does
        if (!headers.names().contains("X-Stainless-Read-Timeout") && forCall.readTimeoutMillis() > 0) {
            builder.addHeader("X-Stainless-Read-Timeout", Long.toString(forCall.readTimeoutMillis() / 1000));
        }
        if (!headers.names().contains("X-Stainless-Timeout") && forCall.callTimeoutMillis() > 0) {
            builder.addHeader("X-Stainless-Timeout", Long.toString(forCall.callTimeoutMillis() / 1000));
        }
        return builder.build();
    }

    private static boolean requiresBody(HttpMethod method) {
        return method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
    }

    private static HttpUrl toUrl(HttpRequest request) {
        HttpUrl.Builder url = HttpUrl.get(request.baseUrl()).newBuilder();
        for (String segment : request.pathSegments()) {
            url.addPathSegment(segment);
        }
        for (String key : request.queryParams().keys()) {
            for (String value : request.queryParams().values(key)) {
                url.addQueryParameter(key, value);
            }
        }
        return url.build();
    }

    private static void closeBody(HttpRequest request) {
        HttpRequestBody body = request.body();
        if (body != null) {
            body.close();
        }
    }

    /**
     * openai-java's request body as OkHttp's: written straight to the connection, never buffered
     * twice, or, when {@code serializeNow}, serialized into memory first (okio segments, as answers
     * are) so that no serializing happens on the wire.
     */
    private static final class Body extends RequestBody {
        private final HttpRequestBody body;
        private final @Nullable MediaType type;
        private final @Nullable Buffer serialized;

        Body(HttpRequestBody body, boolean serializeNow) {
            this.body = body;
            String contentType = body.contentType();
            this.type = contentType == null ? null : MediaType.get(contentType);
            if (serializeNow) {
                serialized = new Buffer();
                body.writeTo(serialized.outputStream());
            } else {
                serialized = null;
            }
        }

        @Override
        public @Nullable MediaType contentType() {
            return type;
        }

        @Override
        public long contentLength() {
            return serialized != null ? serialized.size() : body.contentLength();
        }

        @Override
        public boolean isOneShot() {
            return serialized == null && !body.repeatable();
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            if (serialized != null) {
                sink.writeAll(serialized.copy()); // a copy shares the segments; OkHttp may send a body twice
            } else {
                body.writeTo(sink.outputStream());
            }
        }
    }

    /** OkHttp's response as openai-java's, its body streamed or already read; closing it releases the connection. */
    private static final class OkHttpResponse implements HttpResponse {
        private final Response response;
        private final Headers headers;
        private final @Nullable Buffer read;

        OkHttpResponse(Response response, @Nullable Buffer read) {
            this.response = response;
            this.read = read;
            Headers.Builder h = Headers.builder();
            for (String name : response.headers().names()) {
                for (String value : response.headers(name)) {
                    h.put(name, value);
                }
            }
            this.headers = h.build();
        }

        @Override
        public int statusCode() {
            return response.code();
        }

        @Override
        public Headers headers() {
            return headers;
        }

        @Override
        public InputStream body() {
            if (read != null) {
                return read.inputStream();
            }
            return response.body() == null ? InputStream.nullInputStream() : response.body().byteStream();
        }

        @Override
        public void close() {
            response.close();
        }
    }

    /** Plain sockets with {@code TCP_NODELAY} on; TLS, when the URL asks for it, is layered on them by OkHttp. */
    static final class NoDelaySocketFactory extends SocketFactory {

        @Override
        public Socket createSocket() throws SocketException {
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            return socket;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port), null);
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port), null);
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
        }

        private Socket connected(InetSocketAddress to, @Nullable InetSocketAddress from) throws IOException {
            Socket socket = createSocket();
            try {
                if (from != null) {
                    socket.bind(from);
                }
                socket.connect(to);
            } catch (IOException e) {
                socket.close();
                throw e;
            }
            return socket;
        }
    }
}
