package dev.aar.examples.server;

import static dev.aar.examples.server.UploadRoutesTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.config.AarConfig;
import dev.aar.core.config.ResumableUpload;
import dev.aar.core.config.ScaleLimits;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthAndLimitsTest {

    @TempDir
    Path dir;

    @Test
    void everyApiRouteNeedsAKnownKey() {
        try (ApiHarness api = new ApiHarness(dir, AarConfig.defaults())) {
            for (String path : new String[] {"/api/v1/projects", "/api/v1/quota", "/api/v1/deadletters",
                "/api/v1/uploads/sessions/x", "/api/v1/jobs/x", "/api/v1/reports/x"}) {
                HttpResponse<String> missing = api.get(null, path);
                assertProblem(missing, 401, "auth.missing_key");
                assertThat(missing.headers().firstValue("WWW-Authenticate")).isPresent();
                assertProblem(api.get("aar_not-a-real-key", path), 401, "auth.unknown_key");
            }
            assertProblem(api.postBytes(null, "/api/v1/preflight/analyze-stream", ApiHarness.shopZip()), 401, "auth.missing_key");
        }
    }

    @Test
    void aKeyOverItsRateIsToldWhenToRetry() {
        ServerLimits tiny = new ServerLimits(ServerLimits.DEFAULT_MAX_JSON_BYTES, 0.01, 2);
        try (ApiHarness api = new ApiHarness(dir, AarConfig.defaults(), tiny)) {
            assertThat(api.get(api.keyA, "/api/v1/projects").statusCode()).isEqualTo(200);
            assertThat(api.get(api.keyA, "/api/v1/projects").statusCode()).isEqualTo(200);
            HttpResponse<String> limited = api.get(api.keyA, "/api/v1/projects");
            assertProblem(limited, 429, "rate.limited");
            assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(
                    v -> assertThat(Long.parseLong(v)).isPositive());
            // the limit is per key: another key is unaffected
            assertThat(api.get(api.keyB, "/api/v1/projects").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void partUploadsAreNotCountedAgainstTheRequestRate() {
        ServerLimits tiny = new ServerLimits(ServerLimits.DEFAULT_MAX_JSON_BYTES, 0.01, 2);
        AarConfig smallParts = AarConfig.builder()
                .scaleLimits(ScaleLimits.builder().maxUploadSizeMb(1).build())
                .resumableUpload(ResumableUpload.builder().chunkSizeBytes(1024).build()).build();
        try (ApiHarness api = new ApiHarness(dir, smallParts, tiny)) {
            int parts = 5;
            HttpResponse<String> created = api.postJson(api.keyA, "/api/v1/uploads/sessions",
                    "{\"fileName\":\"a.zip\",\"totalSize\":" + parts * 1024 + "}");
            assertThat(created.statusCode()).isEqualTo(201);
            String session = api.body(created).path("sessionId").asText();
            // the one session request used half the burst; five part uploads in a row still pass
            for (int part = 1; part <= parts; part++) {
                HttpResponse<String> put = api.send(api.request(api.keyA,
                        "/api/v1/uploads/sessions/" + session + "/parts/" + part)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[1024])).build());
                assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            }
        }
    }

    @Test
    void aJsonBodyOverTheLimitIs413() {
        ServerLimits small = new ServerLimits(1024, ServerLimits.DEFAULT_REQUESTS_PER_SECOND, ServerLimits.DEFAULT_BURST);
        try (ApiHarness api = new ApiHarness(dir, AarConfig.defaults(), small)) {
            String body = "{\"fileName\":\"" + "a".repeat(2000) + "\",\"totalSize\":10}";
            HttpResponse<String> r = api.postJson(api.keyA, "/api/v1/uploads/sessions", body);
            assertThat(r.statusCode()).isEqualTo(413);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/problem+json"));
        }
    }
}
