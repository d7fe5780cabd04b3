package dev.aar.examples.server;

import static dev.aar.examples.server.UploadRoutesTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.ScaleLimits;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreflightRoutesTest {

    @TempDir
    Path dir;
    private ApiHarness api;

    @BeforeEach
    void start() {
        api = new ApiHarness(dir, AarConfig.builder()
                .scaleLimits(ScaleLimits.builder().maxUploadSizeMb(1).autoApprovalThresholdFiles(2).build()).build());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void estimatesAnArchiveSentAsTheRawBody() {
        HttpResponse<String> r = api.postBytes(api.keyA, "/api/v1/preflight/analyze-stream?mode=exact", ApiHarness.shopZip());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode result = api.body(r);
        assertThat(result.get("fileCount").asLong()).isEqualTo(4);
        assertThat(result.get("estimatedTokens").asLong()).isPositive();
        assertThat(result.get("requiresApproval").asBoolean()).isTrue(); // 4 files > threshold 2
        assertThat(result.get("isWithinLimits").asBoolean()).isTrue();
        assertThat(result.get("rejectionReasons")).isEmpty();
        assertThat(result.has("estimatedCost")).isTrue();
        assertThat(result.has("estimatedProcessingTimeMinutes")).isTrue();
    }

    @Test
    void estimatesAnArchiveSentAsAMultipartFilePart() {
        HttpResponse<String> r = api.send(api.request(api.keyA, "/api/v1/preflight/analyze-stream")
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(ApiHarness.shopZip()))).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(api.body(r).get("fileCount").asLong()).isEqualTo(4);
    }

    @Test
    void refusesAnOverSizeMultipartFilePartSentWithoutALength() {
        byte[] big = new byte[3 * 512 * 1024];
        new Random(2).nextBytes(big);
        HttpResponse<String> r = api.send(api.request(api.keyA, "/api/v1/preflight/analyze-stream")
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArray(multipart(big))::subscribe))
                .build());
        assertProblem(r, 413, "archive.upload_too_large");
    }

    private static final String BOUNDARY = "aar-test-boundary";

    private static byte[] multipart(byte[] file) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"shop.zip\"\r\n"
                + "Content-Type: application/zip\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }

    @Test
    void refusesAHostileArchiveWith422AndItsReason() {
        HttpResponse<String> r = api.postBytes(api.keyA, "/api/v1/preflight/analyze-stream", ApiHarness.traversalZip());
        assertProblem(r, 422, "archive.path_traversal");
        JsonNode problem = api.body(r);
        assertThat(problem.get("rejectionReasons").get(0).get("code").asText()).isEqualTo("archive.path_traversal");
        assertThat(problem.get("type").asText()).endsWith("/archive.path_traversal");
    }

    @Test
    void refusesAnArchiveOverMaxUploadSizeWith413() {
        byte[] big = new byte[3 * 512 * 1024];
        new Random(1).nextBytes(big);
        assertProblem(api.postBytes(api.keyA, "/api/v1/preflight/analyze-stream", big), 413, "archive.upload_too_large");
        // without a Content-Length a valid archive is cut off while it is read
        byte[] archive = ApiHarness.zip(java.util.Map.of("blob.txt", java.util.HexFormat.of().formatHex(big)));
        HttpRequest chunked = api.request(api.keyA, "/api/v1/preflight/analyze-stream")
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArray(archive)::subscribe))
                .build();
        assertProblem(api.send(chunked), 413, "archive.upload_too_large");
    }

    @Test
    void preflightsAStoredProjectAndApprovesIt() {
        String id = api.body(api.postBytes(api.keyA, "/api/v1/projects/upload?name=shop", ApiHarness.shopZip()))
                .get("id").asText();
        assertProblem(api.postJson(api.keyB, "/api/v1/preflight/analyze/" + id, ""), 404, "project.not_found");
        assertProblem(api.postJson(api.keyA, "/api/v1/preflight/analyze/" + id + "?mode=slow", ""), 400, "request.invalid");

        HttpResponse<String> r = api.postJson(api.keyA, "/api/v1/preflight/analyze/" + id, "");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(api.body(r).get("requiresApproval").asBoolean()).isTrue();
        assertThat(api.body(api.get(api.keyA, "/api/v1/projects/" + id)).get("requiresApproval").asBoolean()).isTrue();

        assertProblem(api.postJson(api.keyB, "/api/v1/preflight/" + id + "/approve", ""), 404, "project.not_found");
        HttpResponse<String> approved = api.postJson(api.keyA, "/api/v1/preflight/" + id + "/approve", "");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        assertThat(api.body(approved).get("approvedBy").asText()).isEqualTo("alice (" + api.apiKeyA.id() + ")");
        assertThat(api.body(approved).get("approvedAt").asText()).isNotBlank();
    }

    @Test
    void aStoredHostileArchiveIsRefusedWith422() {
        String id = api.body(api.postBytes(api.keyA, "/api/v1/projects/upload", ApiHarness.traversalZip())).get("id").asText();
        assertProblem(api.postJson(api.keyA, "/api/v1/preflight/analyze/" + id, ""), 422, "archive.path_traversal");
    }
}
