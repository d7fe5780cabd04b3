package dev.aar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.event.JobCompleted;
import dev.aar.core.project.Project;
import dev.aar.examples.server.TestZips;
import dev.aar.queue.JobPriority;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {

    private static final Pattern KEY = Pattern.compile("\\baar_[A-Za-z0-9_-]{20,}");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private record Started(ServeNode node, String out) {
    }

    private Started serve(String... extra) throws Exception {
        ServeCommand command = new ServeCommand();
        CommandLine cli = new CommandLine(command);
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        String[] args = new String[extra.length + 4];
        args[0] = "--port";
        args[1] = "0";
        args[2] = "--data";
        args[3] = dir.resolve("data").toString();
        System.arraycopy(extra, 0, args, 4, extra.length);
        cli.parseArgs(args);
        return new Started(command.start(), out.toString());
    }

    private HttpResponse<String> get(ServeNode node, String path, String key) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path));
        if (key != null) {
            req.header("X-Api-Key", key);
        }
        return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void firstStartCreatesEverythingAndPrintsTheKeyOnceASecondStartReusesIt() throws Exception {
        String key;
        Started first = serve();
        try (ServeNode node = first.node()) {
            Matcher m = KEY.matcher(first.out());
            assertThat(m.find()).as(first.out()).isTrue();
            key = m.group();
            assertThat(first.out()).contains("database:    sqlite", "blobs:", "embeddings:  offline",
                    "storage:     AES-256-GCM", "roles:       api + workers");
            Path data = dir.resolve("data");
            assertThat(data.resolve("aar.db")).exists();
            assertThat(data.resolve("blobs")).isDirectory();
            assertThat(Files.getPosixFilePermissions(data.resolve("storage.key")))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            assertThat(Files.readString(data.resolve("api-keys.json"))).doesNotContain(key);

            // the key works on the hub (the API's routes are guarded the same way), nothing else does
            String project = node.aar().analysis().createProject("default", "demo.zip",
                    new ByteArrayInputStream(TestZips.smallProject())).id();
            assertThat(get(node, "/hubs/analysis?projectId=" + project, "aar_wrong").statusCode()).isEqualTo(401);
            assertThat(get(node, "/health/ready", null).statusCode()).isEqualTo(200);
            assertThat(get(node, "/", null).body()).contains("<title>AAR");
        }
        String storageKey = Files.readString(dir.resolve("data/storage.key"));

        Started second = serve();
        try (ServeNode node = second.node()) {
            assertThat(KEY.matcher(second.out()).find()).as(second.out()).isFalse();
            assertThat(second.out()).contains("key from");
            assertThat(Files.readString(dir.resolve("data/storage.key"))).isEqualTo(storageKey);
            // the first key still authenticates after the restart: the 404 is about the project, not the key
            assertThat(get(node, "/hubs/analysis?projectId=nope", key).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void runsAJobInProcessAndExposesTheSpecsMetrics() throws Exception {
        Started started = serve();
        try (ServeNode node = started.node()) {
            CompletableFuture<JobCompleted> done = new CompletableFuture<>();
            var subscription = node.aar().events().subscribe(e -> {
                if (e instanceof JobCompleted c) {
                    done.complete(c);
                }
            });
            Project project = node.aar().analysis().createProject("default", "demo.zip",
                    new ByteArrayInputStream(TestZips.smallProject()));
            node.aar().analysis().submit("default", project.id(), JobPriority.HIGH);
            assertThat(done.get(60, TimeUnit.SECONDS).isSuccess()).isTrue();
            subscription.close();

            HttpResponse<String> metrics = get(node, "/metrics", null);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
            assertThat(metrics.body()).contains(
                    "aar_jobs_queued_total{priority=\"High\"} 1.0",
                    "aar_jobs_completed_total{priority=\"High\"} 1.0",
                    "aar_jobs_duration_seconds_count{outcome=\"success\",priority=\"High\"} 1",
                    "aar_jobs_duration_seconds_bucket",
                    "aar_queue_length ",
                    "aar_queue_deadletter_length ",
                    "aar_tokens_consumed_total",
                    // the Prometheus client reserves the _created suffix: aar.embeddings.created is scraped as
                    "aar_embeddings_total",
                    "aar_checkpoints_saved_total",
                    "jvm_memory_used_bytes");
        }
    }

    @Test
    void workerOnlyServesHealthAndMetricsButNoApiOrPage() throws Exception {
        Started started = serve("--worker-only");
        try (ServeNode node = started.node()) {
            assertThat(started.out()).contains("workers only");
            assertThat(KEY.matcher(started.out()).find()).isFalse();
            assertThat(get(node, "/health/live", null).statusCode()).isEqualTo(200);
            assertThat(get(node, "/metrics", null).statusCode()).isEqualTo(200);
            assertThat(get(node, "/hubs/analysis?projectId=x", null).statusCode()).isEqualTo(404);
            assertThat(get(node, "/", null).statusCode()).isEqualTo(404);
        }
    }
}
