package dev.aar.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.ResumableUpload;
import dev.aar.core.config.ScaleLimits;
import dev.aar.core.wiring.internal.Collaborators;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadRoutesTest {

    private static final int PART = 1024;

    @TempDir
    Path dir;
    private ApiHarness api;
    private final byte[] file = new byte[2 * PART + 452];

    @BeforeEach
    void start() {
        new Random(7).nextBytes(file);
        api = new ApiHarness(dir, AarConfig.builder()
                .scaleLimits(ScaleLimits.builder().maxUploadSizeMb(1).build())
                .resumableUpload(ResumableUpload.builder().chunkSizeBytes(PART).build()).build());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void uploadsInPartsWithEitherChecksumAndFinalizes() throws Exception {
        HttpResponse<String> created = api.postJson(api.keyA, "/api/v1/uploads/sessions",
                api.toJson(Map.of("fileName", "shop.zip", "totalSize", file.length, "sha256", hex("SHA-256", file))));
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode session = api.body(created);
        String id = session.get("sessionId").asText();
        assertThat(created.headers().firstValue("Location")).contains("/api/v1/uploads/sessions/" + id);
        assertThat(session.get("partSize").asLong()).isEqualTo(PART);
        assertThat(session.get("totalParts").asInt()).isEqualTo(3);
        assertThat(session.get("status").asText()).isEqualTo("Active");
        assertThat(session.get("expiresAt").asText()).isNotBlank();

        // part 3 first, with a base64 SHA-256; part 1 with Content-MD5; part 2 with a hex SHA-256
        HttpResponse<String> p3 = put(api.keyA, id, 3, part(3), Map.of("x-checksum-sha256",
                Base64.getEncoder().encodeToString(digest("SHA-256", part(3)))));
        assertThat(p3.statusCode()).as(p3.body()).isEqualTo(200);
        assertThat(api.body(p3).get("size").asLong()).isEqualTo(452);
        assertThat(api.body(p3).get("sha256").asText()).isEqualTo(hex("SHA-256", part(3)));
        assertThat(put(api.keyA, id, 1, part(1), Map.of("Content-MD5",
                Base64.getEncoder().encodeToString(digest("MD5", part(1))))).statusCode()).isEqualTo(200);

        JsonNode status = api.body(api.get(api.keyA2, "/api/v1/uploads/sessions/" + id)); // same organization, other key
        assertThat(status.get("fileName").asText()).isEqualTo("shop.zip");
        assertThat(status.get("missingParts")).hasSize(1);
        assertThat(status.get("missingParts").get(0).asInt()).isEqualTo(2);
        assertThat(status.get("bytesReceived").asLong()).isEqualTo(PART + 452);
        assertThat(status.get("receivedParts")).extracting(n -> n.get("partNumber").asInt()).containsExactlyInAnyOrder(1, 3);

        assertThat(put(api.keyA, id, 2, part(2), Map.of("x-checksum-sha256", hex("SHA-256", part(2)))).statusCode())
                .isEqualTo(200);
        HttpResponse<String> done = api.postJson(api.keyA, "/api/v1/uploads/sessions/" + id + "/finalize", "");
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(api.body(done).get("status").asText()).isEqualTo("Completed");
        assertThat(api.body(done).get("bytesReceived").asLong()).isEqualTo(file.length);
        String key = Collaborators.of(api.aar).uploadSessionStore().find(id).orElseThrow().storageKey();
        try (var in = Collaborators.of(api.aar).blobStore().get(key).orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo(file);
        }
    }

    @Test
    void anotherOrganizationGets404ForEverySessionRoute() {
        String id = create();
        assertProblem(api.get(api.keyB, "/api/v1/uploads/sessions/" + id), 404, "upload.not_found");
        assertProblem(put(api.keyB, id, 1, part(1), Map.of()), 404, "upload.not_found");
        assertProblem(api.postJson(api.keyB, "/api/v1/uploads/sessions/" + id + "/finalize", ""), 404, "upload.not_found");
        assertProblem(api.delete(api.keyB, "/api/v1/uploads/sessions/" + id), 404, "upload.not_found");
        assertThat(api.get(api.keyA, "/api/v1/uploads/sessions/" + id).statusCode()).isEqualTo(200);
    }

    @Test
    void refusesABadChecksumAndKeepsNothingOfThePart() {
        String id = create();
        byte[] wrong = digest("SHA-256", "something else".getBytes());
        assertProblem(put(api.keyA, id, 1, part(1), Map.of("x-checksum-sha256", HexFormat.of().formatHex(wrong))),
                400, "upload.checksum_mismatch");
        assertProblem(put(api.keyA, id, 1, part(1), Map.of("Content-MD5", "not-a-checksum!")), 400, "request.invalid");
        JsonNode status = api.body(api.get(api.keyA, "/api/v1/uploads/sessions/" + id));
        assertThat(status.get("receivedParts")).isEmpty();
    }

    @Test
    void verifiesACrc32cPartChecksumAndRefusesAWrongOrMalformedOne() {
        String id = create();
        assertProblem(put(api.keyA, id, 1, part(1), Map.of("x-checksum-crc32c", crc32c(part(2)))), 400,
                "upload.checksum_mismatch");
        assertProblem(put(api.keyA, id, 1, part(1), Map.of("x-checksum-crc32c", "AAAA")), 400, "request.invalid");
        assertProblem(put(api.keyA, id, 1, part(1), Map.of("x-checksum-crc32c", "not a crc")), 400, "request.invalid");
        assertThat(api.body(api.get(api.keyA, "/api/v1/uploads/sessions/" + id)).get("receivedParts")).isEmpty();

        // the right one, base64 of the big-endian value as S3 sends it: accepted, and the SHA-256 still recorded
        HttpResponse<String> ok = put(api.keyA, id, 1, part(1), Map.of("x-checksum-crc32c", crc32c(part(1))));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(api.body(ok).get("sha256").asText()).isEqualTo(hex("SHA-256", part(1)));
    }

    @Test
    void acceptsS3sHeaderNamesForTheSameChecksums() {
        String id = create();
        assertProblem(put(api.keyA, id, 1, part(1), Map.of("x-amz-checksum-crc32c", crc32c(part(2)))), 400,
                "upload.checksum_mismatch");
        byte[] wrong = digest("SHA-256", "something else".getBytes());
        assertProblem(put(api.keyA, id, 1, part(1), Map.of("x-amz-checksum-sha256",
                Base64.getEncoder().encodeToString(wrong))), 400, "upload.checksum_mismatch");
        assertThat(put(api.keyA, id, 1, part(1), Map.of("x-amz-checksum-crc32c", crc32c(part(1)))).statusCode())
                .isEqualTo(200);
        assertThat(put(api.keyA, id, 2, part(2), Map.of("x-amz-checksum-sha256",
                Base64.getEncoder().encodeToString(digest("SHA-256", part(2))))).statusCode()).isEqualTo(200);
    }

    private static String crc32c(byte[] bytes) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    @Test
    void refusesAPartWithoutLengthOrOverThePartSize() {
        String id = create();
        HttpRequest chunked = api.request(api.keyA, "/api/v1/uploads/sessions/" + id + "/parts/1")
                .PUT(HttpRequest.BodyPublishers.fromPublisher(unsized(part(1)))).build();
        assertProblem(api.send(chunked), 411, "upload.length_required");
        assertProblem(put(api.keyA, id, 1, new byte[PART + 1], Map.of()), 413, "upload.part_too_large");
        assertProblem(put(api.keyA, id, 1, new byte[PART - 1], Map.of()), 400, "upload.wrong_part_size");
        assertProblem(put(api.keyA, id, 4, new byte[10], Map.of()), 400, "upload.part_out_of_range");
    }

    @Test
    void refusesMalformedOrIncompleteRequestsAndOverSizeFiles() {
        assertProblem(api.postJson(api.keyA, "/api/v1/uploads/sessions", "{\"fileName\": \"a.zip\", "), 400,
                "request.malformed_json");
        assertProblem(api.postJson(api.keyA, "/api/v1/uploads/sessions", ""), 400, "request.malformed_json");
        assertProblem(api.postJson(api.keyA, "/api/v1/uploads/sessions", "[1]"), 400, "request.malformed_json");
        assertProblem(api.postJson(api.keyA, "/api/v1/uploads/sessions", "{\"fileName\": \"a.zip\"}"), 400,
                "request.invalid");
        assertProblem(api.postJson(api.keyA, "/api/v1/uploads/sessions", "{\"fileName\": \"a.zip\", \"totalSize\": \"big\"}"),
                400, "request.invalid");
        long tooBig = api.aar.config().scaleLimits().maxUploadSizeBytes() + 1;
        assertProblem(api.postJson(api.keyA, "/api/v1/uploads/sessions",
                api.toJson(Map.of("fileName", "huge.zip", "totalSize", tooBig))), 413, "upload.too_large");
    }

    @Test
    void finalizingTooEarlyIsAConflictAndCancellingDeletesTheSession() {
        String id = create();
        assertProblem(api.postJson(api.keyA, "/api/v1/uploads/sessions/" + id + "/finalize", ""), 409, "upload.incomplete");
        HttpResponse<String> cancelled = api.delete(api.keyA, "/api/v1/uploads/sessions/" + id);
        assertThat(cancelled.statusCode()).isEqualTo(204);
        assertThat(cancelled.body()).isEmpty();
        assertProblem(api.get(api.keyA, "/api/v1/uploads/sessions/" + id), 404, "upload.not_found");
    }

    private String create() {
        HttpResponse<String> r = api.postJson(api.keyA, "/api/v1/uploads/sessions",
                api.toJson(Map.of("fileName", "shop.zip", "totalSize", file.length)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return api.body(r).get("sessionId").asText();
    }

    private HttpResponse<String> put(String key, String id, int part, byte[] bytes, Map<String, String> headers) {
        HttpRequest.Builder b = api.request(key, "/api/v1/uploads/sessions/" + id + "/parts/" + part)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
        headers.forEach(b::header);
        return api.send(b.build());
    }

    private byte[] part(int n) {
        return Arrays.copyOfRange(file, (n - 1) * PART, Math.min(file.length, n * PART));
    }

    static void assertProblem(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(r.body()).contains("\"code\":\"" + code + "\"").contains("\"status\":" + status);
    }

    private static Flow.Publisher<ByteBuffer> unsized(byte[] bytes) {
        return HttpRequest.BodyPublishers.ofByteArray(bytes)::subscribe; // hides the length: sent chunked
    }

    static byte[] digest(String algorithm, byte[] bytes) {
        try {
            return MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(String algorithm, byte[] bytes) {
        return HexFormat.of().formatHex(digest(algorithm, bytes));
    }
}
