package dev.aar.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link AzureBlobStore} puts on the wire, seen by a local HTTP server standing in for the
 * blob endpoint: one attempt per request (the SDK's retries are off) and an MD5 on every block.
 */
class AzureBlobStoreWireTest {

    record Seen(String method, String query, String contentMd5, int length) {
    }

    HttpServer server;
    final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger status = new AtomicInteger(201);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    AzureBlobStore store() {
        String connection = Azurite.CONNECTION_STRING.replace("127.0.0.1:10000",
                "127.0.0.1:" + server.getAddress().getPort());
        return AzureBlobStore.create(AzureBlobStoreConfig.builder(connection).container("wire")
                .blockSizeBytes(1024).tryTimeout(Duration.ofSeconds(10)).build());
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            seen.add(new Seen(exchange.getRequestMethod(), String.valueOf(exchange.getRequestURI().getRawQuery()),
                    exchange.getRequestHeaders().getFirst("Content-MD5"), body.length));
            int code = status.get();
            exchange.getResponseHeaders().add("ETag", "\"0x1\"");
            exchange.getResponseHeaders().add("Last-Modified", "Fri, 27 Nov 2026 10:00:00 GMT");
            exchange.getResponseHeaders().add("x-ms-request-id", "r");
            exchange.getResponseHeaders().add("x-ms-version", "2025-01-05");
            if (code >= 400) {
                exchange.getResponseHeaders().add("x-ms-error-code", "ServerBusy");
            }
            exchange.sendResponseHeaders(code, -1);
        }
    }

    @Test
    void theSdkMakesOneAttemptPerRequestSoOnlyTheCorePipelineRetries() {
        status.set(503);
        AzureBlobStore store = store();
        assertThatThrownBy(() -> store.stat("k")).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("HTTP 503").hasMessageContaining("ServerBusy");
        assertThat(seen).hasSize(1);
    }

    @Test
    void everyStagedBlockAndEverySmallBlobCarriesItsMd5() throws Exception {
        AzureBlobStore store = store();
        byte[] data = new byte[2500];
        new Random(1).nextBytes(data);

        store.put("streamed", new ByteArrayInputStream(data));
        store.put("small", new ByteArrayInputStream(new byte[] {1, 2, 3}));
        store.stagePart("upload", "u1", 1, new ByteArrayInputStream(data));

        List<Seen> writes = seen.stream()
                .filter(s -> s.method().equals("PUT") && s.length() > 0 && !s.query().contains("comp=blocklist")).toList();
        assertThat(writes).hasSize(5); // three blocks of the streamed put, the small blob, the part
        for (Seen write : writes) {
            assertThat(write.contentMd5()).as(write.query()).isNotNull();
        }
        assertThat(writes.get(0).contentMd5()).isEqualTo(md5(java.util.Arrays.copyOf(data, 1024)));
        assertThat(writes.get(3).contentMd5()).isEqualTo(md5(new byte[] {1, 2, 3}));
        assertThat(writes.get(4).contentMd5()).isEqualTo(md5(data));
        assertThat(seen).filteredOn(s -> s.query().contains("comp=blocklist")).hasSize(1);
    }

    static String md5(byte[] bytes) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
    }
}
