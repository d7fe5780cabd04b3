package dev.aar.examples.server;

import static dev.aar.examples.server.UploadRoutesTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aar.core.config.AarConfig;
import dev.aar.core.wiring.internal.Collaborators;
import dev.aar.queue.Job;
import dev.aar.queue.JobPriority;
import dev.aar.queue.JobRequest;
import dev.aar.queue.Lease;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLetterAndQuotaRoutesTest {

    @TempDir
    Path dir;
    private ApiHarness api;

    @BeforeEach
    void start() {
        api = new ApiHarness(dir, AarConfig.defaults());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void listsAndRedrivesOnlyTheCallersDeadLetters() {
        String a1 = deadLetter(ApiHarness.ORG_A, "p-1");
        String a2 = deadLetter(ApiHarness.ORG_A, "p-2");
        String b1 = deadLetter(ApiHarness.ORG_B, "p-3");

        JsonNode listA = api.body(api.get(api.keyA, "/api/v1/deadletters")).get("items");
        assertThat(listA).extracting(n -> n.get("jobId").asText()).containsExactlyInAnyOrder(a1, a2);
        assertThat(listA.get(0).get("state").asText()).isEqualTo("DeadLettered");
        assertThat(listA.get(0).get("errors").get(0).get("message").asText()).isEqualTo("boom");
        assertThat(api.body(api.get(api.keyA, "/api/v1/deadletters?limit=1")).get("items")).hasSize(1);
        assertProblem(api.get(api.keyA, "/api/v1/deadletters?limit=0"), 400, "request.invalid");

        assertProblem(api.postJson(api.keyA, "/api/v1/deadletters/" + b1 + "/redrive", ""), 404, "job.not_found");
        HttpResponse<String> redriven = api.postJson(api.keyA, "/api/v1/deadletters/" + a1 + "/redrive", "");
        assertThat(redriven.statusCode()).as(redriven.body()).isEqualTo(200);
        assertThat(api.body(redriven).get("state").asText()).isEqualTo("Queued");
        assertProblem(api.postJson(api.keyA, "/api/v1/deadletters/" + a1 + "/redrive", ""), 409, "job.not_dead_lettered");

        HttpResponse<String> all = api.postJson(api.keyB, "/api/v1/deadletters/redrive", "");
        assertThat(api.body(all).get("redriven").asInt()).isEqualTo(1);
        assertThat(Collaborators.of(api.aar).jobQueue().find(a2).orElseThrow().state().name()).isEqualTo("DEAD_LETTERED");
        assertThat(api.body(api.get(api.keyB, "/api/v1/deadletters")).get("items")).isEmpty();
    }

    @Test
    void tenThousandDeadLettersOfOneOrganizationDoNotHideAnothersOwn() {
        List<JobRequest> requests = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            requests.add(JobRequest.of("analysis", "{\"projectId\":\"a-" + i + "\",\"ownerId\":\"" + ApiHarness.ORG_A
                    + "\"}", JobPriority.NORMAL).withOwner(ApiHarness.ORG_A));
        }
        Collaborators.of(api.aar).jobQueue().enqueueAll(requests);
        for (Lease lease : Collaborators.of(api.aar).jobQueue().claim("test-worker", 10_000, Duration.ofMinutes(1), JobPriority.LOW)) {
            Collaborators.of(api.aar).jobQueue().fail(lease.jobId(), lease.fencingToken(), "boom", null);
        }
        String b1 = deadLetter(ApiHarness.ORG_B, "p-b");

        JsonNode listB = api.body(api.get(api.keyB, "/api/v1/deadletters")).get("items");
        assertThat(listB).extracting(n -> n.get("jobId").asText()).containsExactly(b1);
        assertThat(listB.get(0).get("projectId").asText()).isEqualTo("p-b");
        JsonNode listA = api.body(api.get(api.keyA, "/api/v1/deadletters?limit=1000")).get("items");
        assertThat(listA).hasSize(1_000).extracting(n -> n.get("projectId").asText()).allMatch(p -> p.startsWith("a-"));

        assertThat(api.body(api.postJson(api.keyB, "/api/v1/deadletters/redrive", "")).get("redriven").asInt()).isEqualTo(1);
        assertThat(Collaborators.of(api.aar).jobQueue().stats().deadLettered()).isEqualTo(10_000);
    }

    @Test
    void showsTheOrganizationsQuotaOrUnlimited() {
        JsonNode unlimited = api.body(api.get(api.keyA, "/api/v1/quota"));
        assertThat(unlimited.get("unlimited").asBoolean()).isTrue();
        assertThat(unlimited.get("organizationId").asText()).isEqualTo(ApiHarness.ORG_A);
        assertThat(unlimited.has("monthlyTokenLimit")).isFalse();

        Collaborators.of(api.aar).quotaService().setLimits(ApiHarness.ORG_B, 500_000, 10, 1_000_000_000L);
        api.postJson(api.keyB, "/api/v1/uploads/sessions", "{\"fileName\":\"a.zip\",\"totalSize\":1234}");
        JsonNode quota = api.body(api.get(api.keyB, "/api/v1/quota"));
        assertThat(quota.get("unlimited").asBoolean()).isFalse();
        assertThat(quota.get("monthlyTokenLimit").asLong()).isEqualTo(500_000);
        assertThat(quota.get("monthlyProjectLimit").asInt()).isEqualTo(10);
        assertThat(quota.get("storageUsedBytes").asLong()).isEqualTo(1234);
        assertThat(quota.get("periodStart").asText()).endsWith("Z");
    }

    /** Puts a job of {@code organization} in the dead-letter queue, as a worker that gave up would. */
    private String deadLetter(String organization, String projectId) {
        Job job = Collaborators.of(api.aar).jobQueue().enqueue(JobRequest.of("analysis",
                "{\"projectId\":\"" + projectId + "\",\"ownerId\":\"" + organization + "\"}", JobPriority.NORMAL)
                .withOwner(organization));
        List<Lease> leases = Collaborators.of(api.aar).jobQueue().claim("test-worker", 1, Duration.ofMinutes(1), JobPriority.LOW);
        assertThat(leases).hasSize(1);
        assertThat(Collaborators.of(api.aar).jobQueue().fail(job.id(), leases.get(0).fencingToken(), "boom", null)).isTrue();
        return job.id();
    }
}
