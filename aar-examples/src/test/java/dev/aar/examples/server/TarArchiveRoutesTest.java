package dev.aar.examples.server;

import static dev.aar.examples.server.UploadRoutesTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.ScaleLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A .tar.gz of real code through the server: preflight, project, analysis job, report; hostile ones refused. */
class TarArchiveRoutesTest {

    @TempDir
    Path dir;
    private ApiHarness api;

    @BeforeEach
    void start() {
        api = new ApiHarness(dir, AarConfig.builder()
                .scaleLimits(ScaleLimits.builder().maxUploadSizeMb(4).autoApprovalThresholdFiles(10_000).build()).build());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    /** This server's own sources as a GitHub-style source archive: one top directory, PAX names, gzip. */
    private static byte[] serverSourcesTarGz() throws IOException {
        Path sources = Path.of("src/main/java/dev/aar/examples/server");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes); TarArchiveOutputStream tar = new TarArchiveOutputStream(gz);
             Stream<Path> files = Files.list(sources)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                TarArchiveEntry e = new TarArchiveEntry("aar-main/" + sources.resolve(f.getFileName()));
                byte[] data = Files.readAllBytes(f);
                e.setSize(data.length);
                tar.putArchiveEntry(e);
                tar.write(data);
                tar.closeArchiveEntry();
            }
            TarArchiveEntry link = new TarArchiveEntry("aar-main/latest", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("../../etc");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private HttpResponse<String> post(String path, byte[] body, String contentType) {
        return api.send(api.request(api.keyA, path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    @Test
    void aTarGzOfRealCodeIsReviewedEndToEnd() throws Exception {
        byte[] archive = serverSourcesTarGz();
        long sources;
        try (Stream<Path> s = Files.list(Path.of("src/main/java/dev/aar/examples/server"))) {
            sources = s.filter(Files::isRegularFile).count();
        }
        HttpResponse<String> estimate = post("/api/v1/preflight/analyze-stream?mode=exact", archive, "application/gzip");
        assertThat(estimate.statusCode()).as(estimate.body()).isEqualTo(200);
        assertThat(api.body(estimate).get("fileCount").asLong()).isEqualTo(sources);
        assertThat(api.body(estimate).get("isWithinLimits").asBoolean()).isTrue();

        // the format comes from the bytes: a misleading content type changes nothing
        HttpResponse<String> created = post("/api/v1/projects/upload?name=aar-main.tar.gz", archive, "application/zip");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = api.body(created).get("id").asText();
        JsonNode preflight = api.body(api.postJson(api.keyA, "/api/v1/preflight/analyze/" + id, ""));
        assertThat(preflight.get("fileCount").asLong()).isEqualTo(sources);

        api.aar.startWorkers();
        HttpResponse<String> accepted = api.postJson(api.keyA, "/api/v1/projects/" + id + "/analyses", "{}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String jobId = api.body(accepted).get("jobId").asText();
        JsonNode job = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> api.body(api.get(api.keyA, "/api/v1/jobs/" + jobId)),
                        j -> !List.of("Queued", "Running").contains(j.get("state").asText()));
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("Succeeded");
        JsonNode report = api.body(api.get(api.keyA, "/api/v1/reports/" + job.get("reportId").asText()));
        assertThat(report.get("projectId").asText()).isEqualTo(id);
        assertThat(report.toString()).contains("ArchiveBody.java");
    }

    @Test
    void hostileTarsAreRefusedWithTheArchiveCodes() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes); TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            TarArchiveEntry e = new TarArchiveEntry("../../etc/evil.sh", true);
            byte[] data = "echo pwned\n".getBytes(StandardCharsets.UTF_8);
            e.setSize(data.length);
            tar.putArchiveEntry(e);
            tar.write(data);
            tar.closeArchiveEntry();
        }
        assertProblem(post("/api/v1/preflight/analyze-stream", bytes.toByteArray(), "application/gzip"), 422,
                "archive.path_traversal");
        byte[] truncated = java.util.Arrays.copyOf(bytes.toByteArray(), bytes.size() / 2);
        assertProblem(post("/api/v1/preflight/analyze-stream", truncated, "application/x-tar"), 422, "archive.corrupt");
    }
}
