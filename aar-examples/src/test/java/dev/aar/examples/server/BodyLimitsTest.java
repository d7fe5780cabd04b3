package dev.aar.examples.server;

import static dev.aar.examples.server.UploadRoutesTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.config.AarConfig;
import dev.aar.core.config.ScaleLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13 item 1: every body has a hard limit, enforced while it is read, chunked or not (real sockets). */
class BodyLimitsTest {

    static final long HOSTILE_BYTES = 300L * 1024 * 1024;

    @TempDir
    Path dir;

    /**
     * Sends up to {@code total} bytes as a chunked body on a thread of its own and reads the answer;
     * returns it with the bytes the server let through before it answered.
     */
    static RawHttp.Response chunkedFlood(int port, String method, String path, String key, String type, long total,
            AtomicLong sent) throws Exception {
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'a');
        chunk[0] = '{';
        chunk[1] = '"';
        return chunkedFlood(port, method, path, key, type, out -> {
            while (sent.get() < total) {
                out.write(chunk);
                sent.addAndGet(chunk.length);
            }
        });
    }

    /** What a flooding client writes; each write goes out as one chunk. */
    interface Body {
        void writeTo(java.io.OutputStream out) throws IOException;
    }

    static RawHttp.Response chunkedFlood(int port, String method, String path, String key, String type, Body body)
            throws Exception {
        try (RawHttp raw = RawHttp.start(port, method, path, "X-Api-Key: " + key, "Content-Type: " + type,
                "Transfer-Encoding: chunked")) {
            java.io.OutputStream chunks = new java.io.OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (len > 0) {
                        raw.chunk(Arrays.copyOfRange(b, off, off + len));
                    }
                }
            };
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    body.writeTo(chunks);
                    raw.send("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // the server answered and closed: the rest of the body is not wanted
                }
            });
            RawHttp.Response r = raw.read();
            raw.close();
            writer.get(60, TimeUnit.SECONDS);
            return r;
        }
    }

    @Test
    void aChunkedJsonBodyIsRefusedAtTheLimitAndTheServerStaysUp() throws Exception {
        try (ApiHarness api = new ApiHarness(dir, AarConfig.defaults())) {
            AtomicLong sent = new AtomicLong();
            RawHttp.Response r = chunkedFlood(api.server.port(), "POST", "/api/v1/uploads/sessions", api.keyA,
                    "application/json", HOSTILE_BYTES, sent);
            assertThat(r.status()).as(r.body()).isEqualTo(413);
            assertThat(r.hasCode("request.body_too_large")).as(r.body()).isTrue();
            assertThat(r.header("Content-Type")).startsWith("application/problem+json");
            assertThat(r.header("Connection")).isEqualToIgnoringCase("close");
            // the server is still fine: the same JSON route and the health check answer
            assertThat(api.get(api.keyB, "/api/v1/quota").statusCode()).isEqualTo(200);
            assertThat(api.postJson(api.keyA, "/api/v1/uploads/sessions", "{\"fileName\":\"a.zip\",\"totalSize\":10}")
                    .statusCode()).isEqualTo(201);
        }
    }

    @Test
    void aJsonBodyDeclaredOverTheLimitIsRefusedBeforeItIsRead() {
        ServerLimits small = ServerLimits.builder().maxJsonBytes(1024).build();
        try (ApiHarness api = new ApiHarness(dir, AarConfig.defaults(), small)) {
            String body = "{\"fileName\":\"" + "a".repeat(2000) + "\",\"totalSize\":10}";
            assertProblem(api.postJson(api.keyA, "/api/v1/uploads/sessions", body), 413, "request.body_too_large");
        }
    }

    @Test
    void aChunkedBodyToARouteThatIgnoresItDoesNotHurtTheServer() throws Exception {
        try (ApiHarness api = new ApiHarness(dir, AarConfig.defaults())) {
            AtomicLong sent = new AtomicLong();
            RawHttp.Response r = chunkedFlood(api.server.port(), "POST", "/api/v1/preflight/no-such-project/approve",
                    api.keyA, "application/json", 64L * 1024 * 1024, sent);
            assertThat(r.status()).as(r.body()).isEqualTo(404);
            assertThat(api.get(api.keyB, "/api/v1/quota").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void chunkedArchivesAreRefusedAtMaxUploadSizeAndNothingIsKept() throws Exception {
        AarConfig oneMiB = AarConfig.builder().scaleLimits(ScaleLimits.builder().maxUploadSizeMb(1).build()).build();
        try (ApiHarness api = new ApiHarness(dir, oneMiB)) {
            for (String path : new String[] {"/api/v1/projects/upload", "/api/v1/preflight/analyze-stream"}) {
                // a real zip of incompressible bytes, so only its size can stop it
                RawHttp.Response r = chunkedFlood(api.server.port(), "POST", path, api.keyA, "application/zip",
                        BodyLimitsTest::randomZip);
                assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(413);
                assertThat(r.hasCode("archive.upload_too_large")).as(r.body()).isTrue();
            }
            assertThat(api.body(api.get(api.keyA, "/api/v1/projects")).path("items")).isEmpty();
            assertThat(api.server.port()).isPositive();
            assertThat(api.get(api.keyB, "/api/v1/quota").statusCode()).isEqualTo(200);
        }
    }

    /** Writes a zip with one entry of 8 MiB of random bytes (over the test's 1 MiB limit) (a deflated entry as large as its content). */
    static void randomZip(java.io.OutputStream out) throws IOException {
        java.util.Random random = new java.util.Random(13);
        byte[] buf = new byte[64 * 1024];
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("src/big.bin"));
            for (int i = 0; i < 128; i++) {
                random.nextBytes(buf);
                zip.write(buf);
            }
            zip.closeEntry();
        }
    }

    @Test
    void aPartMustBeExactlyItsSize() throws Exception {
        try (ApiHarness api = new ApiHarness(dir, AarConfig.defaults())) {
            long size = 4L * 1024 * 1024;
            String session = api.body(api.postJson(api.keyA, "/api/v1/uploads/sessions",
                    "{\"fileName\":\"a.zip\",\"totalSize\":" + 2 * size + "}")).path("sessionId").asText();
            String part = "/api/v1/uploads/sessions/" + session + "/parts/1";
            int port = api.server.port();
            try (RawHttp chunked = RawHttp.start(port, "PUT", part, "X-Api-Key: " + api.keyA,
                    "Transfer-Encoding: chunked")) {
                chunked.chunk(new byte[1024]);
                RawHttp.Response r = chunked.read();
                assertThat(r.status()).as(r.body()).isEqualTo(411);
                assertThat(r.hasCode("upload.length_required")).isTrue();
            }
            try (RawHttp larger = RawHttp.start(port, "PUT", part, "X-Api-Key: " + api.keyA,
                    "Content-Length: " + (size + 1), "x-checksum-crc32c: AAAAAA==")) {
                larger.send(new byte[1]); // Jetty dispatches a request with a body once its first byte is in
                RawHttp.Response r = larger.read();
                assertThat(r.status()).as(r.body()).isEqualTo(413);
                assertThat(r.hasCode("upload.part_too_large")).isTrue();
            }
            try (RawHttp smaller = RawHttp.start(port, "PUT", part, "X-Api-Key: " + api.keyA,
                    "Content-Length: " + (size - 1))) {
                smaller.send(new byte[1]);
                RawHttp.Response r = smaller.read();
                assertThat(r.status()).as(r.body()).isEqualTo(400);
                assertThat(r.hasCode("upload.wrong_part_size")).isTrue();
            }
            // declared right, but the connection ends early: refused, nothing kept, and the part can be re-sent
            try (RawHttp cut = RawHttp.start(port, "PUT", part, "X-Api-Key: " + api.keyA, "Content-Length: " + size)) {
                cut.send(new byte[1000]);
                cut.socket.shutdownOutput();
                RawHttp.Response r = cut.read();
                assertThat(r.status()).as(r.body()).isBetween(400, 499);
            }
            assertThat(api.body(api.get(api.keyA, "/api/v1/uploads/sessions/" + session)).path("receivedParts"))
                    .isEmpty();
            // with both Content-Length and chunked, Jetty refuses the request as ambiguous
            try (RawHttp both = RawHttp.start(port, "PUT", part, "X-Api-Key: " + api.keyA,
                    "Content-Length: " + size, "Transfer-Encoding: chunked")) {
                try {
                    both.chunk(new byte[10]);
                } catch (java.net.SocketException answeredAlready) {
                    // Jetty refuses on the headers and may close before this write: the answer is still there to read
                }
                assertThat(both.read().status()).isBetween(400, 499);
            }
        }
    }
}
