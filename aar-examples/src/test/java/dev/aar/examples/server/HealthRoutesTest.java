package dev.aar.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aar.core.Aar;
import dev.aar.core.testing.RequiredService;
import dev.aar.jdbc.JdbcBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthRoutesTest {

    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = ServerJson.create();

    private HttpResponse<String> get(AarServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private AarServer server(Aar aar, java.util.function.Supplier<String> probe) {
        ApiKeyStore keys = new ApiKeyStore(dir.resolve("keys.json"), json, Clock.systemUTC());
        return AarServer.create(aar, keys, new EventHub(json), json, probe).start("127.0.0.1", 0);
    }

    @Test
    void liveAndReadyAnswerWithoutAKey() throws Exception {
        try (Aar aar = Aar.builder().dataDirectory(dir.resolve("data")).build(); AarServer server = server(aar, null)) {
            HttpResponse<String> live = get(server, "/health/live");
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(json.readTree(live.body()).get("status").asText()).isEqualTo("UP");

            HttpResponse<String> ready = get(server, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            JsonNode body = json.readTree(ready.body());
            assertThat(body.get("status").asText()).isEqualTo("UP");
            assertThat(body.get("checks").fieldNames()).toIterable().containsExactly("database", "storage", "queue");
            assertThat(body.at("/checks/queue/detail").asText()).contains("0 queued");
        }
    }

    @Test
    void readyIs503WhileTheDatabaseIsUnreachable() throws Exception {
        RequiredService.requirePostgres();
        String schema = "aar_health_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        sql("CREATE SCHEMA " + schema);
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", 5432).start()) {
            String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test?user=postgres&currentSchema=" + schema
                    + "&connectTimeout=2&socketTimeout=5";
            JdbcBackend db = JdbcBackend.create(url);
            Aar.Builder builder = Aar.builder().dataDirectory(dir.resolve("data")).jobQueue(db.jobQueue()).closeWith(db);
            try (Aar aar = db.applyTo(builder).build();
                    AarServer server = server(aar, () -> db.database() + " schema v" + db.schemaVersion())) {
                HttpResponse<String> up = get(server, "/health/ready");
                assertThat(up.statusCode()).isEqualTo(200);
                assertThat(json.readTree(up.body()).at("/checks/database/detail").asText()).startsWith("postgresql schema v");

                proxy.stop();
                HttpResponse<String> down = get(server, "/health/ready");
                assertThat(down.statusCode()).isEqualTo(503);
                JsonNode body = json.readTree(down.body());
                assertThat(body.get("status").asText()).isEqualTo("DOWN");
                assertThat(body.at("/checks/database/status").asText()).isEqualTo("DOWN");
                // the driver's message (host, port, URL) stays in the server log
                assertThat(body.at("/checks/database/detail").asText()).isNotBlank()
                        .doesNotContain(String.valueOf(proxy.port())).doesNotContain("jdbc:");
                assertThat(body.at("/checks/storage/status").asText()).isEqualTo("UP");

                proxy.start();
                assertThat(awaitStatus(server, 200, Duration.ofSeconds(45))).isEqualTo(200);
            }
        } finally {
            sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private int awaitStatus(AarServer server, int wanted, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        int status;
        do {
            status = get(server, "/health/ready").statusCode();
            if (status == wanted) {
                return status;
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        return status;
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
