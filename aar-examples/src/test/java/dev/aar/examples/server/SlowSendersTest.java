package dev.aar.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

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
        ServerLimits limits = ServerLimits.builder().idleTimeout(Duration.ofSeconds(3)).build();
        try (ApiHarness api = new ApiHarness(dir, AarConfig.defaults(), limits)) {
            String session = session(api, api.keyA);
            List<RawHttp> slow = slowParts(api, api.keyA, session, SLOW_CONNECTIONS);
            ExecutorService readers = Executors.newFixedThreadPool(32);
            try {
                // while they are open: the hostile key itself, and another organization, are answered
                assertThat(api.get(api.keyA, "/api/v1/quota").statusCode()).isEqualTo(200);
                assertThat(api.get(api.keyB, "/api/v1/quota").statusCode()).isEqualTo(200);
                String other = session(api, api.keyB);
                HttpResponse<String> part = api.send(api.request(api.keyB, "/api/v1/uploads/sessions/" + other + "/parts/1")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[PART])).build());
                assertThat(part.statusCode()).as(part.body()).isEqualTo(200);

                // every slow connection ends: over the per-key cap at once with 429, the rest by the idle timeout
                List<Future<RawHttp.Response>> answers = new ArrayList<>();
                for (RawHttp raw : slow) {
                    answers.add(readers.submit(raw::read));
                }
                int refused = 0;
                int cut = 0;
                for (Future<RawHttp.Response> f : answers) {
                    RawHttp.Response r = f.get(120, TimeUnit.SECONDS);
                    if (r.status() == 429) {
                        assertThat(r.hasCode("upload.too_many_concurrent")).as(r.body()).isTrue();
                        assertThat(r.header("Retry-After")).isNotBlank();
                        refused++;
                    } else {
                        cut++;
                    }
                }
                assertThat(refused).isGreaterThanOrEqualTo(SLOW_CONNECTIONS - ServerLimits.DEFAULT_MAX_UPLOADS_PER_KEY);
                assertThat(cut).isLessThanOrEqualTo(ServerLimits.DEFAULT_MAX_UPLOADS_PER_KEY);
            } finally {
                readers.shutdownNow();
                for (RawHttp raw : slow) {
                    raw.close();
                }
            }
            // the key's slots came back: it can upload again
            HttpResponse<String> again = api.send(api.request(api.keyA, "/api/v1/uploads/sessions/" + session + "/parts/1")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[PART])).build());
            assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        }
    }

    @Test
    void aBodyTricklingInBelowTheMinimumRateIsDroppedAfterTheGrace() throws Exception {
        ServerLimits limits = ServerLimits.builder().minRequestDataRate(64 * 1024).dataRateGrace(Duration.ofMillis(500))
                .build();
        try (ApiHarness api = new ApiHarness(dir, AarConfig.defaults(), limits)) {
            String session = session(api, api.keyA);
            try (RawHttp raw = RawHttp.start(api.server.port(), "PUT", "/api/v1/uploads/sessions/" + session + "/parts/1",
                    "X-Api-Key: " + api.keyA, "Content-Length: " + PART)) {
                // a byte every 100 ms is far below 64 KiB/s; the server answers 408 and closes
                RawHttp.Response r = null;
                for (int i = 0; i < 600 && r == null; i++) {
                    try {
                        raw.send(new byte[] {1});
                    } catch (java.io.IOException closed) {
                        r = raw.read();
                        break;
                    }
                    if (raw.in.available() > 0) {
                        r = raw.read();
                    } else {
                        Thread.sleep(100); // the trickle itself, not a wait for the server
                    }
                }
                assertThat(r).isNotNull();
                assertThat(r.status()).as(r.body()).isEqualTo(408);
                assertThat(r.hasCode("request.too_slow")).as(r.body()).isTrue();
            }
            assertThat(api.get(api.keyA, "/api/v1/quota").statusCode()).isEqualTo(200);
        }
    }
}
