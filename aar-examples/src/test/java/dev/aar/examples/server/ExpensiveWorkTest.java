package dev.aar.examples.server;

import static dev.aar.examples.server.UploadRoutesTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aar.core.config.AarConfig;
import dev.aar.core.wiring.internal.Collaborators;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 item 5: expensive requests run under a per-organization bulkhead (429 with Retry-After
 * beyond it) and a time budget; a stored project's preflight is computed once. Real sockets.
 */
class ExpensiveWorkTest {

    @TempDir
    Path dir;

    /** Starts an exact analyze-stream whose body never ends: it holds one of org-a's permits while it waits. */
    static RawHttp holdAPermit(ApiHarness api) throws Exception {
        RawHttp raw = RawHttp.start(api.server.port(), "POST", "/api/v1/preflight/analyze-stream?mode=exact",
                "X-Api-Key: " + api.keyA, "Content-Type: application/zip", "Transfer-Encoding: chunked");
        raw.chunk(new byte[] {'P', 'K', 3, 4});
        return raw;
    }

    static void awaitRunning(ApiHarness api, String org, int n) {
        ExpensiveWork work = api.server.context().expensive();
        await().atMost(Duration.ofMinutes(1)).until(() -> work.running(org) == n);
    }

    @Test
    void anOrganizationOverItsBulkheadIsToldToRetryWhileOthersAreServed() throws Exception {
        ServerLimits limits = ServerLimits.builder().maxExpensivePerOrganization(1).minRequestDataRate(0).build();
        try (ApiHarness api = new ApiHarness(dir, AarConfig.defaults(), limits)) {
            String project = api.body(api.postBytes(api.keyA, "/api/v1/projects/upload?name=p", ApiHarness.shopZip()))
                    .path("id").asText();
            try (RawHttp held = holdAPermit(api)) {
                awaitRunning(api, ApiHarness.ORG_A, 1);
                for (HttpResponse<String> r : List.of(
                        api.postBytes(api.keyA2, "/api/v1/preflight/analyze-stream?mode=exact", ApiHarness.shopZip()),
                        api.postJson(api.keyA, "/api/v1/preflight/analyze/" + project + "?mode=exact", ""),
                        api.postJson(api.keyA, "/api/v1/projects/" + project + "/analyses", "{}"))) {
                    assertProblem(r, 429, "work.too_many_concurrent");
                    assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
                }
                // another organization is not affected
                HttpResponse<String> b = api.postBytes(api.keyB, "/api/v1/preflight/analyze-stream?mode=exact",
                        ApiHarness.shopZip());
                assertThat(b.statusCode()).as(b.body()).isEqualTo(200);
            }
            awaitRunning(api, ApiHarness.ORG_A, 0); // the held request ended with its connection
            HttpResponse<String> again = api.postJson(api.keyA, "/api/v1/preflight/analyze/" + project + "?mode=exact", "");
            assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        }
    }

    /** The rest of a zip local file header (after "PK\3\4") of a stored entry of {@code size} bytes. */
    static byte[] storedEntryHeaderAfterSignature(String name, int size) {
        byte[] n = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(26 + n.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 20).putShort((short) 0).putShort((short) 0) // version, flags, method: stored
                .putShort((short) 0).putShort((short) 0x21) // time, date
                .putInt(0).putInt(size).putInt(size) // crc (never reached), sizes
                .putShort((short) n.length).putShort((short) 0).put(n);
        return b.array();
    }

    @Test
    void aPreflightOverItsTimeBudgetIsStopped() throws Exception {
        ServerLimits limits = ServerLimits.builder().expensiveTimeBudget(Duration.ofMillis(300)).minRequestDataRate(0)
                .build();
        try (ApiHarness api = new ApiHarness(dir, AarConfig.defaults(), limits)) {
            try (RawHttp slow = holdAPermit(api)) {
                RawHttp.Response r = null;
                byte[] zipStart = storedEntryHeaderAfterSignature("src/Big.java", 60_000);
                slow.chunk(zipStart);
                // the walker checks its cancellation between reads: keep it reading until the budget has passed
                for (int i = 0; i < 3000 && r == null; i++) {
                    try {
                        slow.chunk(new byte[512]);
                    } catch (java.io.IOException closed) {
                        break;
                    }
                    r = slow.answerWithin(Duration.ofMillis(20)); // the pace of the reads, ended by the answer
                }
                if (r == null) {
                    r = slow.read();
                }
                assertThat(r.status()).as(r.body()).isEqualTo(503);
                assertThat(r.hasCode("work.over_time_budget")).as(r.body()).isTrue();
            }
            awaitRunning(api, ApiHarness.ORG_A, 0);
        }
    }

    @Test
    void parallelExactPreflightsOfAStoredProjectComputeItOnceAndAgree() throws Exception {
        ServerLimits limits = ServerLimits.builder().maxExpensivePerOrganization(4).build();
        try (ApiHarness api = new ApiHarness(dir, AarConfig.defaults(), limits)) {
            String project = api.body(api.postBytes(api.keyA, "/api/v1/projects/upload?name=p", ApiHarness.shopZip()))
                    .path("id").asText();
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<HttpResponse<String>>> calls = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    String key = i % 2 == 0 ? api.keyA : api.keyA2;
                    calls.add(pool.submit(() -> api.postJson(key, "/api/v1/preflight/analyze/" + project + "?mode=exact", "")));
                }
                List<JsonNode> answers = new ArrayList<>();
                for (Future<HttpResponse<String>> f : calls) {
                    HttpResponse<String> r = f.get(120, TimeUnit.SECONDS);
                    if (r.statusCode() == 429) {
                        assertProblem(r, 429, "work.too_many_concurrent");
                    } else {
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                        answers.add(api.body(r));
                    }
                }
                assertThat(answers).isNotEmpty().allSatisfy(a -> assertThat(a).isEqualTo(answers.get(0)));
            } finally {
                pool.shutdownNow();
            }
            // the archive is read no more: with it gone, preflight and a submission still answer from the cache
            Collaborators.of(api.aar).blobStore().delete(api.aar.analysis().project(ApiHarness.ORG_A, project).archiveKey());
            assertThat(api.postJson(api.keyA, "/api/v1/preflight/analyze/" + project + "?mode=exact", "").statusCode())
                    .isEqualTo(200);
            assertThat(api.postJson(api.keyA, "/api/v1/projects/" + project + "/analyses", "{}").statusCode())
                    .isEqualTo(202);
        }
    }
}
