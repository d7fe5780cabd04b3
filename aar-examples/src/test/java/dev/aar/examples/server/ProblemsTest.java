package dev.aar.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aar.core.error.ArchiveRejectedException;
import dev.aar.core.error.StorageException;
import io.javalin.Javalin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Problem details never echo a server path, a wrapped IO or SQL message, or a secret; a server failure
 * carries a correlation id that the server log repeats beside the whole exception (logged before the
 * answer is sent, so it is there when the client reads it).
 */
class ProblemsTest {

    private static final String PATH = "/srv/aar-data/blobs/projects.d/p1.d/archive.blob";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream err;
    private Javalin app;

    @BeforeEach
    void start() {
        err = System.err;
        // slf4j-simple writes to whatever System.err is when it logs
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        app = Javalin.create();
        Problems.register(app);
        app.get("/storage", ctx -> {
            throw new StorageException("blob", "cannot write " + PATH + ": No space left on device",
                    new IOException(PATH + ": No space left on device"));
        });
        app.get("/sql", ctx -> {
            throw new IllegalStateException("wrapped", new SQLException(
                    "FATAL: password authentication failed for user \"aar\" at jdbc:postgresql://db.internal:5432/aar"));
        });
        app.get("/io", ctx -> {
            throw new UncheckedIOException(new IOException(PATH + " (Permission denied)"));
        });
        app.get("/refused", ctx -> {
            throw new ArchiveRejectedException(ArchiveRejectedException.Reason.PATH_TRAVERSAL, "../x",
                    "entry ../x escapes /srv/aar-data/work/7/src; token ghp_Zq8Lm3Vt7Rw2Ks9Np4Jx6Hb1Gc5Fd0Ay3Eu7");
        });
        app.get("/invalid", ctx -> {
            throw new IllegalArgumentException("cannot read /home/alice/aar/keys.json with password=hunter2hunter2");
        });
        app.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        app.stop();
        System.setErr(err);
    }

    @Test
    void aBackendFailureShowsItsCodeAndACorrelationIdThatTheLogRepeatsWithTheDetail() throws Exception {
        JsonNode problem = problem("/storage", 503);

        assertThat(problem.get("code").asText()).isEqualTo("backend.blob_failed");
        String id = problem.get("correlationId").asText();
        assertThat(id).matches("[0-9a-f]{12}");
        assertThat(problem.get("detail").asText()).contains(id).doesNotContain("/srv").doesNotContain("No space");
        assertThat(logged().lines().filter(l -> l.contains(id))).singleElement()
                .satisfies(l -> assertThat(l).contains("GET /storage"));
        assertThat(logged()).contains(PATH + ": No space left on device");
    }

    @Test
    void anUnexpectedFailureHidesAWrappedSqlMessage() throws Exception {
        JsonNode problem = problem("/sql", 500);

        assertThat(problem.get("code").asText()).isEqualTo("internal");
        assertThat(problem.toString()).doesNotContain("password").doesNotContain("db.internal").doesNotContain("FATAL");
        String id = problem.get("correlationId").asText();
        assertThat(logged()).contains("password authentication failed");
    }

    @Test
    void anIoFailureHasItsOwnCodeAndNoPath() throws Exception {
        JsonNode problem = problem("/io", 500);

        assertThat(problem.get("code").asText()).isEqualTo("io.failed");
        assertThat(problem.toString()).doesNotContain("/srv").doesNotContain("Permission");
    }

    @Test
    void refusedInputKeepsItsMessageWithPathsShortenedAndSecretsMasked() throws Exception {
        JsonNode refused = problem("/refused", 422);
        assertThat(refused.get("code").asText()).isEqualTo("archive.path_traversal");
        assertThat(refused.get("detail").asText()).isEqualTo("entry ../x escapes …/src; token ghp_********");
        assertThat(refused.has("correlationId")).isFalse();

        JsonNode invalid = problem("/invalid", 400);
        assertThat(invalid.get("detail").asText()).isEqualTo("cannot read …/keys.json with password=********");
    }

    private JsonNode problem(String path, int status) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith(Problems.CONTENT_TYPE));
        return json.readTree(r.body());
    }

    private String logged() {
        return log.toString(StandardCharsets.UTF_8);
    }
}
