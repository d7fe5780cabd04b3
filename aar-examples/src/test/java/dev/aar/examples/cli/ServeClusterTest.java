package dev.aar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.project.Project;
import dev.aar.core.testing.RequiredService;
import com.fasterxml.jackson.databind.JsonNode;
import dev.aar.examples.server.HubClient;
import dev.aar.examples.server.ServerJson;
import dev.aar.examples.server.TestZips;
import dev.aar.queue.JobPriority;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Two {@code aar serve} nodes on one PostgreSQL: an API-only node streams the events of a job a
 * worker-only node runs, to an SSE client and to a SignalR client alike.
 */
class ServeClusterTest {

    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    @TempDir
    Path dir;

    private ServeNode serve(Path config, StringWriter out, String role) throws Exception {
        ServeCommand command = new ServeCommand();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.parseArgs("--port", "0", "--data", dir.resolve("shared").toString(), "--config", config.toString(), role);
        return command.start();
    }

    @Test
    void aWorkerOnlyNodesEventsReachAnApiOnlyNodesSseClient() throws Exception {
        RequiredService.requirePostgres();
        String schema = "aar_cluster_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        sql("CREATE SCHEMA " + schema);
        try {
            Path config = Files.writeString(dir.resolve("appsettings.json"), "{\"Connections\": {\"DatabaseUrl\": \""
                    + POSTGRES + "&currentSchema=" + schema + "\"}}");
            StringWriter apiOut = new StringWriter();
            try (ServeNode api = serve(config, apiOut, "--api-only");
                    ServeNode worker = serve(config, new StringWriter(), "--worker-only")) {
                assertThat(apiOut.toString()).contains("database:    postgresql", "api only", "LISTEN/NOTIFY");
                Matcher key = Pattern.compile("\\baar_[A-Za-z0-9_-]{20,}").matcher(apiOut.toString());
                assertThat(key.find()).isTrue();
                Project project = api.aar().analysis().createProject(ServeCommand.DEFAULT_ORGANIZATION, "demo.zip",
                        new ByteArrayInputStream(TestZips.smallProject()));

                HttpResponse<InputStream> sse = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + api.port() + "/hubs/analysis?projectId=" + project.id()))
                        .header("Accept", "text/event-stream").header("X-Api-Key", key.group())
                        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofInputStream());
                assertThat(sse.statusCode()).isEqualTo(200);
                // both nodes' progress bridges LISTEN on their own threads: the job starts once they do
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                        .until(() -> progressListeners(schema) == 2);
                HubClient signalR = HubClient.connect(HttpClient.newHttpClient(), ServerJson.create(), api.port(), key.group());
                assertThat(signalR.invoke("1", "SubscribeToProject", project.id()).has("error")).isFalse();
                api.aar().analysis().submit(ServeCommand.DEFAULT_ORGANIZATION, project.id(), JobPriority.NORMAL);

                StringBuilder seen = new StringBuilder();
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(sse.body(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        seen.append(line).append('\n');
                        if (line.equals("event: JobCompleted")) {
                            seen.append(lines.readLine()).append('\n').append(lines.readLine()).append('\n');
                            break;
                        }
                    }
                }
                assertThat(seen.toString()).contains("event: ProgressUpdate", "\"phase\":\"Saving\"",
                        "event: FindingUpdate", "event: JobCompleted", "\"isSuccess\":true");
                try (signalR) {
                    java.util.Set<String> targets = new java.util.HashSet<>();
                    JsonNode done = signalR.next(m -> {
                        targets.add(m.path("target").asText());
                        return "JobCompleted".equals(m.path("target").asText());
                    });
                    assertThat(done.get("arguments").get(0).get("isSuccess").asBoolean()).isTrue();
                    assertThat(targets).contains("ProgressUpdate", "FindingUpdate");
                }
            }
        } finally {
            sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    /** Counts the connections that LISTEN on the progress channel of {@code schema}. */
    private static int progressListeners(String schema) throws Exception {
        try (Connection c = DriverManager.getConnection(POSTGRES);
                java.sql.PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM pg_stat_activity WHERE query = ?")) {
            s.setString(1, "LISTEN \"aar_progress_" + schema + "\"");
            try (java.sql.ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
