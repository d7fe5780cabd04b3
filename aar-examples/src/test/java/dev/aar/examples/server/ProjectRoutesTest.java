package dev.aar.examples.server;

import static dev.aar.examples.server.UploadRoutesTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.ScaleLimits;
import dev.aar.core.wiring.internal.Collaborators;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectRoutesTest {

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
    void uploadSessionToProjectToPreflightToApprovalToAnalysisToReport() throws Exception {
        byte[] zip = ApiHarness.shopZip();
        String session = api.body(api.postJson(api.keyA, "/api/v1/uploads/sessions",
                api.toJson(Map.of("fileName", "shop.zip", "totalSize", zip.length,
                        "sha256", UploadRoutesTest.hex("SHA-256", zip))))).get("sessionId").asText();
        HttpResponse<String> part = api.send(api.request(api.keyA, "/api/v1/uploads/sessions/" + session + "/parts/1")
                .header("x-checksum-sha256", UploadRoutesTest.hex("SHA-256", zip))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(zip)).build());
        assertThat(part.statusCode()).as(part.body()).isEqualTo(200);
        assertProblem(api.postJson(api.keyA, "/api/v1/projects", api.toJson(Map.of("uploadSessionId", session))),
                409, "upload.incomplete");
        assertThat(api.postJson(api.keyA, "/api/v1/uploads/sessions/" + session + "/finalize", "").statusCode())
                .isEqualTo(200);

        assertProblem(api.postJson(api.keyB, "/api/v1/projects", api.toJson(Map.of("uploadSessionId", session))),
                404, "upload.not_found");
        HttpResponse<String> created = api.postJson(api.keyA, "/api/v1/projects",
                api.toJson(Map.of("uploadSessionId", session, "name", "Shop")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode project = api.body(created);
        String id = project.get("id").asText();
        assertThat(created.headers().firstValue("Location")).contains("/api/v1/projects/" + id);
        assertThat(project.get("name").asText()).isEqualTo("Shop");
        assertThat(project.get("archiveBytes").asLong()).isEqualTo(zip.length);
        assertThat(project.has("ownerId")).isFalse();

        JsonNode preflight = api.body(api.postJson(api.keyA, "/api/v1/preflight/analyze/" + id, ""));
        assertThat(preflight.get("requiresApproval").asBoolean()).isTrue();
        assertProblem(api.postJson(api.keyA, "/api/v1/projects/" + id + "/analyses", "{\"priority\":\"High\"}"),
                409, "project.approval_required");
        assertProblem(api.postJson(api.keyA2, "/api/v1/preflight/" + id + "/approve", ""), 403, "auth.forbidden");
        assertThat(api.postJson(api.keyA, "/api/v1/preflight/" + id + "/approve", "").statusCode()).isEqualTo(200);

        api.aar.startWorkers();
        HttpResponse<String> accepted = api.postJson(api.keyA, "/api/v1/projects/" + id + "/analyses",
                "{\"priority\":\"High\"}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonNode job = api.body(accepted);
        String jobId = job.get("jobId").asText();
        assertThat(job.get("projectId").asText()).isEqualTo(id);
        assertThat(job.get("priority").asText()).isEqualTo("High");
        assertThat(accepted.headers().firstValue("Location")).contains("/api/v1/jobs/" + jobId);
        assertProblem(api.get(api.keyB, "/api/v1/jobs/" + jobId), 404, "job.not_found");

        JsonNode status = awaitEnd(jobId);
        assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("Succeeded");
        assertThat(status.get("attempts").asInt()).isEqualTo(1);
        String reportId = status.get("reportId").asText();
        assertProblem(api.postJson(api.keyA, "/api/v1/jobs/" + jobId + "/cancel", ""), 409, "job.already_ended");

        HttpResponse<String> json = api.get(api.keyA, "/api/v1/reports/" + reportId);
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(api.body(json).get("projectId").asText()).isEqualTo(id);
        assertThat(api.body(json).get("findings").size()).isPositive();
        HttpResponse<String> html = api.get(api.keyA, "/api/v1/reports/" + reportId + "?format=html");
        assertThat(html.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(html.headers().firstValue("Content-Security-Policy")).contains(ReportRoutes.HTML_POLICY);
        assertThat(html.body()).startsWith("<!DOCTYPE html>").contains("<style>").doesNotContain("<script");
        HttpResponse<String> md = api.get(api.keyA, "/api/v1/reports/" + reportId + "?format=md");
        assertThat(md.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/markdown"));
        assertThat(md.body()).startsWith("#");
        assertProblem(api.get(api.keyA, "/api/v1/reports/" + reportId + "?format=pdf"), 400, "request.invalid");
        assertProblem(api.get(api.keyB, "/api/v1/reports/" + reportId), 404, "report.not_found");

        JsonNode reports = api.body(api.get(api.keyA, "/api/v1/projects/" + id + "/reports")).get("items");
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).get("reportId").asText()).isEqualTo(reportId);
        assertThat(reports.get(0).get("links").get("html").asText()).endsWith("format=html");
        assertProblem(api.get(api.keyB, "/api/v1/projects/" + id + "/reports"), 404, "project.not_found");
    }

    @Test
    void createsListsAndReadsProjectsOfTheCallersOrganizationOnly() {
        HttpResponse<String> created = api.postBytes(api.keyA, "/api/v1/projects/upload?name=shop", ApiHarness.shopZip());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = api.body(created).get("id").asText();
        assertThat(api.body(created).get("requiresApproval").isNull()).isTrue();

        JsonNode listA = api.body(api.get(api.keyA2, "/api/v1/projects")).get("items");
        assertThat(listA).extracting(n -> n.get("id").asText()).containsExactly(id);
        assertThat(api.body(api.get(api.keyB, "/api/v1/projects")).get("items")).isEmpty();
        assertThat(api.body(api.get(api.keyA, "/api/v1/projects/" + id)).get("name").asText()).isEqualTo("shop");
        assertProblem(api.get(api.keyB, "/api/v1/projects/" + id), 404, "project.not_found");
        assertProblem(api.get(api.keyA, "/api/v1/projects/no-such-project"), 404, "project.not_found");
    }

    @Test
    void refusesOverSizeUploadsBadPrioritiesAndMalformedJson() {
        byte[] big = new byte[1024 * 1024 + 1];
        new Random(3).nextBytes(big);
        assertProblem(api.postBytes(api.keyA, "/api/v1/projects/upload", big), 413, "archive.upload_too_large");
        assertProblem(api.postBytes(api.keyA, "/api/v1/projects/upload", new byte[0]), 400, "request.invalid");
        assertThat(api.body(api.get(api.keyA, "/api/v1/projects")).get("items")).isEmpty();

        String id = api.body(api.postBytes(api.keyA, "/api/v1/projects/upload", ApiHarness.zip(Map.of("a.py", "x = 1\n"))))
                .get("id").asText();
        assertProblem(api.postJson(api.keyA, "/api/v1/projects/" + id + "/analyses", "{\"priority\":\"Urgent\"}"),
                400, "request.invalid");
        assertProblem(api.postJson(api.keyA, "/api/v1/projects/" + id + "/analyses", "{\"priority\":[1]}"),
                400, "request.invalid");
        assertProblem(api.postJson(api.keyA, "/api/v1/projects/" + id + "/analyses", "{priority: High}"),
                400, "request.malformed_json");
        assertProblem(api.postJson(api.keyA, "/api/v1/projects", "not json"), 400, "request.malformed_json");
        assertProblem(api.postJson(api.keyA, "/api/v1/projects", "{}"), 400, "request.invalid");
        assertProblem(api.postJson(api.keyB, "/api/v1/projects/" + id + "/analyses", "{}"), 404, "project.not_found");
    }

    @Test
    void cancelsAQueuedJob() {
        String id = api.body(api.postBytes(api.keyA, "/api/v1/projects/upload", ApiHarness.zip(Map.of("a.py", "x = 1\n"))))
                .get("id").asText();
        HttpResponse<String> accepted = api.postJson(api.keyA, "/api/v1/projects/" + id + "/analyses", ""); // Normal
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String jobId = api.body(accepted).get("jobId").asText();
        assertThat(api.body(accepted).get("priority").asText()).isEqualTo("Normal");
        assertThat(api.body(api.get(api.keyA, "/api/v1/jobs/" + jobId)).get("state").asText()).isEqualTo("Queued");

        assertProblem(api.postJson(api.keyB, "/api/v1/jobs/" + jobId + "/cancel", ""), 404, "job.not_found");
        HttpResponse<String> cancelled = api.postJson(api.keyA2, "/api/v1/jobs/" + jobId + "/cancel", "");
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
        assertThat(api.body(cancelled).get("state").asText()).isEqualTo("Cancelled");
        assertThat(api.body(cancelled).get("reportId").isNull()).isTrue();
    }

    @Test
    void quotaRefusalIs429() {
        Collaborators.of(api.aar).quotaService().setLimits(ApiHarness.ORG_A, 1_000_000, 0, 1_000_000);
        String id = api.body(api.postBytes(api.keyA, "/api/v1/projects/upload", ApiHarness.zip(Map.of("a.py", "x = 1\n"))))
                .get("id").asText();
        assertProblem(api.postJson(api.keyA, "/api/v1/projects/" + id + "/analyses", ""), 429, "quota.exceeded");
        assertProblem(api.postJson(api.keyA, "/api/v1/uploads/sessions",
                api.toJson(Map.of("fileName", "big.zip", "totalSize", 1_000_001))), 429, "quota.exceeded");
    }

    private JsonNode awaitEnd(String jobId) throws InterruptedException {
        long deadline = System.nanoTime() + 45_000_000_000L;
        while (true) {
            JsonNode job = api.body(api.get(api.keyA, "/api/v1/jobs/" + jobId));
            String state = job.get("state").asText();
            if (!state.equals("Queued") && !state.equals("Running") || System.nanoTime() > deadline) {
                return job;
            }
            Thread.sleep(50);
        }
    }
}
