package dev.aar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.event.JobCompleted;
import dev.aar.core.project.Project;
import dev.aar.core.wiring.internal.Collaborators;
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

    private static String mode(Path p) throws java.io.IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    /**
     * Issue 14 "private by default": the data directory, the database, the blobs and the multipart
     * spool are owner-only, including a data directory an older version left open. (api-keys.json
     * has its own rules and is not checked here.)
     */
    @Test
    void theDataDirectoryAndEverythingInItArePrivate() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path data = dir.resolve("data");
        var open = java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(data, open);
        Started started = serve();
        try (ServeNode node = started.node()) {
            Matcher m = KEY.matcher(started.out());
            assertThat(m.find()).isTrue();
            String key = m.group();

            // a multipart upload over the in-memory threshold, held open half-way: Jetty's spool file is visible
            java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
            try (var z = new java.util.zip.ZipOutputStream(zip)) {
                z.putNextEntry(new java.util.zip.ZipEntry("src/App.java"));
                byte[] noise = new byte[3 * 1024 * 1024];
                new java.util.Random(1).nextBytes(noise);
                z.write(noise);
            }
            String boundary = "aar-spool-test";
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.zip\"\r\n"
                    + "Content-Type: application/zip\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            body.writeBytes(zip.toByteArray());
            body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] bytes = body.toByteArray();
            Path spool = data.resolve(ServeCommand.SPOOL_DIRECTORY);
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", node.port())) {
                var out = socket.getOutputStream();
                out.write(("POST /api/v1/projects/upload HTTP/1.1\r\nHost: localhost\r\nX-Api-Key: " + key
                        + "\r\nContent-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: "
                        + bytes.length + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                int half = 2 * 1024 * 1024;
                out.write(bytes, 0, half);
                out.flush();
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> {
                    try (var files = Files.list(spool)) {
                        return files.findAny().isPresent();
                    }
                });
                try (var files = Files.list(spool)) {
                    for (Path f : files.toList()) {
                        assertThat(mode(f)).as("spooled " + f.getFileName()).isEqualTo("rw-------");
                    }
                }
                out.write(bytes, half, bytes.length - half);
                out.flush();
                String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                        java.nio.charset.StandardCharsets.US_ASCII)).readLine();
                assertThat(status).startsWith("HTTP/1.1 20");
            }

            assertThat(mode(data)).isEqualTo("rwx------");
            assertThat(mode(spool)).isEqualTo("rwx------");
            for (String f : new String[] {"aar.db", "aar.db-wal", "aar.db-shm", "storage.key"}) {
                assertThat(mode(data.resolve(f))).as(f).isEqualTo("rw-------");
            }
            try (var all = Files.walk(data.resolve("blobs"))) {
                for (Path p : all.toList()) {
                    assertThat(mode(p)).as(p.toString()).isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
                }
            }
        }
    }

    @Test
    void anOlderDataDirectoryIsMadePrivateAtStart() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path data = dir.resolve("data");
        serve().node().close();
        Files.setPosixFilePermissions(data, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(data.resolve("aar.db"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));

        try (ServeNode node = serve().node()) {
            assertThat(mode(data)).isEqualTo("rwx------");
            assertThat(mode(data.resolve("aar.db"))).isEqualTo("rw-------");
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
            var stored = Collaborators.of(node.aar()).uploadSessionStore().find(session).orElseThrow();
            try (var in = Collaborators.of(node.aar()).blobStore().get(stored.storageKey()).orElseThrow()) {
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
