package dev.aar.examples.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.aar.core.Aar;
import dev.aar.core.config.AarConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A real server on a loopback port over an {@link Aar} in a temporary directory, with two
 * organizations' keys ({@link #keyA}, {@link #keyA2} of org-a and {@link #keyB} of org-b), and an
 * HTTP client to call it.
 */
final class ApiHarness implements AutoCloseable {

    static final String ORG_A = "org-a";
    static final String ORG_B = "org-b";

    final ObjectMapper json = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    final Aar aar;
    final AarServer server;
    final String keyA;
    final String keyA2;
    final String keyB;
    final ApiKey apiKeyA;
    final ApiKeyStore keys;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final URI base;

    ApiHarness(Path dir, AarConfig config) {
        this(dir, config, ServerLimits.defaults());
    }

    ApiHarness(Path dir, AarConfig config, ServerLimits limits) {
        this(dir, config, limits, new ApiKeyStore(dir.resolve("keys.json"), ServerJson.create(), Clock.systemUTC()));
    }

    /** A server whose keys are in {@code keys} (a file, or a database table). */
    ApiHarness(Path dir, AarConfig config, ServerLimits limits, ApiKeyStore keys) {
        aar = Aar.builder().config(config).dataDirectory(dir.resolve("data")).build();
        this.keys = keys;
        // alice and bob may approve their organizations' large projects; ci may not
        ApiKeyStore.Issued a = keys.issue(ORG_A, "alice", java.util.Set.of(ApiKey.APPROVE));
        keyA = a.secret();
        apiKeyA = a.key();
        keyA2 = keys.issue(ORG_A, "ci").secret();
        keyB = keys.issue(ORG_B, "bob", java.util.Set.of(ApiKey.APPROVE)).secret();
        ServerContext ctx = new ServerContext(aar, keys, new EventHub(json), json, Clock.systemUTC(), limits, null);
        server = AarServer.create(ctx, AarServer.ServerRoutes.all(ctx)).start("127.0.0.1", 0);
        base = URI.create("http://127.0.0.1:" + server.port());
    }

    HttpRequest.Builder request(String key, String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        return key == null ? b : b.header("X-Api-Key", key);
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String key, String path) {
        return send(request(key, path).GET().build());
    }

    HttpResponse<String> delete(String key, String path) {
        return send(request(key, path).DELETE().build());
    }

    HttpResponse<String> postJson(String key, String path, String body) {
        return send(request(key, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> postBytes(String key, String path, byte[] body) {
        return send(request(key, path).header("Content-Type", "application/zip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    JsonNode body(HttpResponse<String> response) {
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A project with a dependency cycle and a secret: a few files, findings guaranteed. */
    static byte[] shopZip() {
        return zip(Map.of(
                "shop/src/main/java/shop/order/Order.java",
                "package shop.order;\nimport shop.billing.Invoice;\npublic class Order { Invoice invoice; }\n",
                "shop/src/main/java/shop/billing/Invoice.java",
                "package shop.billing;\nimport shop.order.Order;\npublic class Invoice { Order order; }\n",
                "shop/src/main/resources/application.properties",
                "aws.key=AKIAIOSFODNN7EXAMPLE\n",
                "shop/README.md", "# Shop\nA tiny shop.\n"));
    }

    /** An archive whose entry climbs out of the extraction directory. */
    static byte[] traversalZip() {
        return zip(Map.of("ok.txt", "fine\n", "../../etc/evil.sh", "echo pwned\n"));
    }

    static byte[] zip(Map<String, String> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> f : new java.util.TreeMap<>(files).entrySet()) {
                z.putNextEntry(new ZipEntry(f.getKey()));
                z.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        server.close();
        aar.close();
    }
}
