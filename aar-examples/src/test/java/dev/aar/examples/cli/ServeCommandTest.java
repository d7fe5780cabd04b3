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
    void anUploadInterruptedByARestartOfTheServerResumesAndStaysEncrypted() throws Exception {
        int part = 64 * 1024;
        Path config = Files.writeString(dir.resolve("appsettings.json"),
                "{\"ResumableUpload\": {\"ChunkSizeBytes\": " + part + "}}");
        byte[] file = new byte[3 * part + 1000];
        new java.util.Random(7).nextBytes(file);
        byte[] marker = "plaintext that must never reach the disk".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(marker, 0, file, 10, marker.length);
        String key;
        String session;
        Started first = serve("--config", config.toString());
        try (ServeNode node = first.node()) {
            Matcher m = KEY.matcher(first.out());
            assertThat(m.find()).isTrue();
            key = m.group();
            HttpResponse<String> created = post(node, "/api/v1/uploads/sessions", key,
                    "{\"fileName\": \"big.zip\", \"totalSize\": " + file.length + "}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            session = new com.fasterxml.jackson.databind.ObjectMapper().readTree(created.body()).get("sessionId").asText();
            assertThat(putPart(node, key, session, 1, java.util.Arrays.copyOfRange(file, 0, part)).statusCode()).isEqualTo(200);
            assertThat(putPart(node, key, session, 3, java.util.Arrays.copyOfRange(file, 2 * part, 3 * part)).statusCode())
                    .isEqualTo(200);
        } // the server stops with two of four parts received

        Started second = serve("--config", config.toString());
        try (ServeNode node = second.node()) {
            HttpResponse<String> status = get(node, "/api/v1/uploads/sessions/" + session, key);
            assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
            assertThat(status.body()).contains("\"missingParts\":[2,4]");
            assertThat(putPart(node, key, session, 2, java.util.Arrays.copyOfRange(file, part, 2 * part)).statusCode())
                    .isEqualTo(200);
            assertThat(putPart(node, key, session, 4, java.util.Arrays.copyOfRange(file, 3 * part, file.length)).statusCode())
                    .isEqualTo(200);
            HttpResponse<String> done = post(node, "/api/v1/uploads/sessions/" + session + "/finalize", key, "");
            assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
            var stored = node.aar().uploadSessionStore().find(session).orElseThrow();
            try (var in = node.aar().blobStore().get(stored.storageKey()).orElseThrow()) {
                assertThat(in.readAllBytes()).isEqualTo(file); // parts from before and after the restart, in order
            }
        }
        // the storage key of the first start encrypted every byte: no plaintext anywhere under blobs/
        try (var files = Files.walk(dir.resolve("data/blobs"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1))
                        .doesNotContain("plaintext that must never reach the disk");
            }
        }
    }

    private HttpResponse<String> post(ServeNode node, String path, String key, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                .header("X-Api-Key", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> putPart(ServeNode node, String key, String session, int n, byte[] bytes) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port()
                        + "/api/v1/uploads/sessions/" + session + "/parts/" + n))
                .header("X-Api-Key", key).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                HttpResponse.BodyHandlers.ofString());
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

    @Test
    void limitOptionsReachTheServerAndABadOneIsRefusedByName() throws Exception {
        Started started = serve("--max-json-bytes", "100", "--max-uploads-per-key", "1");
        try (ServeNode node = started.node()) {
            Matcher m = KEY.matcher(started.out());
            assertThat(m.find()).as(started.out()).isTrue();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + node.port() + "/api/v1/uploads/sessions"))
                    .header("X-Api-Key", m.group()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"fileName\":\"" + "a".repeat(200) + "\",\"totalSize\":1}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(413);
            assertThat(r.body()).contains("request.body_too_large");
        }
        CommandLine cli = new CommandLine(new ServeCommand());
        cli.parseArgs("--port", "0", "--data", dir.resolve("data").toString(), "--max-threads", "3");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ((ServeCommand) cli.getCommand()).start())
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("maxThreads must be >= 16, was 3");
    }
}
