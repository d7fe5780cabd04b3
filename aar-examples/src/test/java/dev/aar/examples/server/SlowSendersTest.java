package dev.aar.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aar.core.config.AarConfig;
import java.net.http.HttpRequest;
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
 * Issue 13 item 2: slow senders cannot stop the server. Real sockets; every assertion is on what
 * the server answers (with generous client timeouts), never on how fast: the 1 s goal is measured
 * by {@code dev.aar.benchmarks.http.HostileClientsMain}.
 */
class SlowSendersTest {

    static final int SLOW_CONNECTIONS = 300;
    static final int PART = 4 * 1024 * 1024;

    @TempDir
    Path dir;

    /** Opens {@code n} part uploads that declare 4 MiB and send one byte. */
    static List<RawHttp> slowParts(ApiHarness api, String key, String session, int n) throws Exception {
        List<RawHttp> slow = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RawHttp raw = RawHttp.start(api.server.port(), "PUT",
                    "/api/v1/uploads/sessions/" + session + "/parts/" + (i % 100 + 1), "X-Api-Key: " + key,
                    "Content-Length: " + PART);
            raw.send(new byte[] {1});
            slow.add(raw);
        }
        return slow;
    }

    static String session(ApiHarness api, String key) {
        return api.body(api.postJson(key, "/api/v1/uploads/sessions",
                "{\"fileName\":\"a.zip\",\"totalSize\":" + 100L * PART + "}")).path("sessionId").asText();
    }

    @Test
    void threeHundredSlowPartUploadsLeaveTheServerAnsweringEveryoneElse() throws Exception {
        // an idle timeout far longer than the test, so which connections hold a slot never depends on timing
        ServerLimits limits = ServerLimits.builder().idleTimeout(Duration.ofMinutes(5)).build();
        int cap = limits.maxUploadsPerKey();
        try (ApiHarness api = new ApiHarness(dir, AarConfig.defaults(), limits)) {
            String session = session(api, api.keyA);
            List<RawHttp> slow = slowParts(api, api.keyA, session, SLOW_CONNECTIONS);
            ExecutorService readers = Executors.newFixedThreadPool(SLOW_CONNECTIONS);
            try {
                // while they are open: the hostile key itself, and another organization, are answered
                assertThat(api.get(api.keyA, "/api/v1/quota").statusCode()).isEqualTo(200);
                assertThat(api.get(api.keyB, "/api/v1/quota").statusCode()).isEqualTo(200);
                String other = session(api, api.keyB);
                HttpResponse<String> part = api.send(api.request(api.keyB, "/api/v1/uploads/sessions/" + other + "/parts/1")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[PART])).build());
                assertThat(part.statusCode()).as(part.body()).isEqualTo(200);

                // all but the key's cap were refused at once with 429; the cap's worth are still being read
                List<Future<RawHttp.Response>> answers = new ArrayList<>();
                for (RawHttp raw : slow) {
                    answers.add(readers.submit(raw::read));
                }
                UploadSlots slots = api.server.context().uploadSlots();
                await().atMost(Duration.ofMinutes(1))
                        .until(() -> answers.stream().filter(Future::isDone).count() >= SLOW_CONNECTIONS - cap);
                int refused = 0;
                for (Future<RawHttp.Response> f : answers) {
                    if (f.isDone()) {
                        RawHttp.Response r = f.get();
                        assertThat(r.status()).as(r.body()).isEqualTo(429);
                        assertThat(r.hasCode("upload.too_many_concurrent")).isTrue();
                        assertThat(r.header("Retry-After")).isEqualTo("5");
                        refused++;
                    }
                }
                assertThat(refused).isEqualTo(SLOW_CONNECTIONS - cap);
                assertThat(slots.inUse(api.apiKeyA.id())).isEqualTo(cap);
            } finally {
                for (RawHttp raw : slow) {
                    raw.close();
                }
                readers.shutdownNow();
            }
            // the clients went away: their slots come back and the key can upload again
            UploadSlots slots = api.server.context().uploadSlots();
            await().atMost(Duration.ofMinutes(1)).until(() -> slots.inUse(api.apiKeyA.id()) == 0);
            HttpResponse<String> again = api.send(api.request(api.keyA, "/api/v1/uploads/sessions/" + session + "/parts/1")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[PART])).build());
            assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        }
    }

    @Test
    void aSenderThatStopsIsCutByTheIdleTimeout() throws Exception {
        ServerLimits limits = ServerLimits.builder().idleTimeout(Duration.ofSeconds(1)).build();
        try (ApiHarness api = new ApiHarness(dir, AarConfig.defaults(), limits)) {
            String session = session(api, api.keyA);
            try (RawHttp raw = slowParts(api, api.keyA, session, 1).get(0)) {
                // the server gives up on the body: it answers (a 4xx saying the part was interrupted) or just closes
                RawHttp.Response r = raw.read();
                assertThat(r.status()).as(r.body()).isIn(0, 400);
                assertThat(r.status() == 0 || r.body().contains("upload.interrupted"))
                        .as(r.body()).isTrue();
            }
            UploadSlots slots = api.server.context().uploadSlots();
            await().atMost(Duration.ofMinutes(1)).until(() -> slots.inUse(api.apiKeyA.id()) == 0);
        }
    }

    @Test
    void aBodyTricklingInBelowTheMinimumRateIsDroppedAfterTheGrace() throws Exception {
        ServerLimits limits = ServerLimits.builder().minRequestDataRate(64 * 1024).dataRateGrace(Duration.ofMillis(500))
                .build();
        try (ApiHarness api = new ApiHarness(dir, AarConfig.defaults(), limits)) {
            String session = session(api, api.keyA);
            try (RawHttp raw = RawHttp.start(api.server.port(), "PUT", "/api/v1/uploads/sessions/" + session + "/parts/1",
                    "X-Api-Key: " + api.keyA, "Content-Length: " + PART, "x-checksum-crc32c: AAAAAA==")) {
                // a byte every 100 ms is far below 64 KiB/s (a CRC32C header changes nothing); 408, closed
                RawHttp.Response r = null;
                for (int i = 0; i < 600 && r == null; i++) {
                    try {
                        raw.send(new byte[] {1});
                    } catch (java.io.IOException closed) {
                        r = raw.read();
                        break;
                    }
                    r = raw.answerWithin(Duration.ofMillis(100)); // the trickle's pace, ended by the answer
                }
                assertThat(r).isNotNull();
                assertThat(r.status()).as(r.body()).isEqualTo(408);
                assertThat(r.hasCode("request.too_slow")).as(r.body()).isTrue();
            }
            assertThat(api.get(api.keyA, "/api/v1/quota").statusCode()).isEqualTo(200);
        }
    }
}
