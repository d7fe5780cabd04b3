package dev.aar.benchmarks.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client of the resumable-upload protocol over {@link HttpClient}: creates a session, sends the
 * parts from several threads (one HTTP/1.1 connection each), each with the SHA-256 it computed by
 * reading the part once before sending it, finalizes, and creates the project.
 */
final class ResumableHttpUploader {

    private static final int READ_BUFFER = 256 * 1024;
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final HttpClient http;
    private final URI base;
    private final ObjectMapper json;
    private final int connections;
    private final boolean checksums;

    /**
     * What one upload did; times in seconds: the parts (wall), finalize, and the client's hashing
     * summed over its threads.
     */
    record Result(String projectId, int parts, int throttled, double partsSeconds, double finalizeSeconds,
            double clientHashSeconds) {
    }

    /** {@code checksums} false sends parts without {@code x-checksum-sha256} (to measure what hashing costs). */
    ResumableHttpUploader(URI base, ObjectMapper json, int connections, boolean checksums) {
        this.base = base;
        this.json = json;
        this.connections = connections;
        this.checksums = checksums;
        // a fixed pool of `connections` threads, each sending one request at a time, keeps exactly that
        // many HTTP/1.1 connections busy; the client's own executor only runs its I/O callbacks
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** Uploads {@code file} with API key {@code key} and returns the created project's id. */
    Result upload(Path file, long size, String key) throws Exception {
        JsonNode session = call(key, "/api/v1/uploads/sessions", 201, HttpRequest.BodyPublishers.ofString(
                json.writeValueAsString(java.util.Map.of("fileName", file.getFileName().toString(), "totalSize", size))),
                "POST", "application/json");
        String sessionId = session.get("sessionId").asText();
        long partSize = session.get("partSize").asLong();
        int totalParts = session.get("totalParts").asInt();

        AtomicInteger next = new AtomicInteger(1);
        AtomicInteger throttled = new AtomicInteger();
        AtomicLong hashNanos = new AtomicLong();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                workers.add(pool.submit(() -> {
                    sendParts(file, size, key, sessionId, partSize, totalParts, next, throttled, hashNanos);
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long t1 = System.nanoTime();
        call(key, "/api/v1/uploads/sessions/" + sessionId + "/finalize", 200, HttpRequest.BodyPublishers.noBody(),
                "POST", null);
        long t2 = System.nanoTime();
        JsonNode project = call(key, "/api/v1/projects", 201, HttpRequest.BodyPublishers.ofString(
                json.writeValueAsString(java.util.Map.of("uploadSessionId", sessionId))), "POST", "application/json");
        return new Result(project.get("id").asText(), totalParts, throttled.get(), (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                hashNanos.get() / 1e9);
    }

    private void sendParts(Path file, long size, String key, String sessionId, long partSize, int totalParts,
            AtomicInteger next, AtomicInteger throttled, AtomicLong hashNanos) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
        MessageDigest sha = sha256();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int part = next.getAndIncrement(); part <= totalParts; part = next.getAndIncrement()) {
                long offset = (part - 1) * partSize;
                long length = Math.min(partSize, size - offset);
                HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve("/api/v1/uploads/sessions/"
                        + sessionId + "/parts/" + part)).timeout(TIMEOUT).header("X-Api-Key", key);
                if (checksums) {
                    long h0 = System.nanoTime();
                    builder.header("x-checksum-sha256", digest(channel, offset, length, buffer, sha));
                    hashNanos.addAndGet(System.nanoTime() - h0);
                }
                HttpRequest request = builder.header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.fromPublisher(
                                HttpRequest.BodyPublishers.ofInputStream(() -> new RangeInputStream(channel, offset, length)),
                                length))
                        .build();
                while (true) {
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 429) {
                        // the quick-start server's per-key rate limit; wait as told and send the part again
                        throttled.incrementAndGet();
                        long seconds = response.headers().firstValueAsLong("Retry-After").orElse(1);
                        Thread.sleep(Math.max(1, seconds) * 1000);
                        continue;
                    }
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("part " + part + " answered " + response.statusCode() + ": "
                                + response.body());
                    }
                    break;
                }
            }
        }
    }

    private JsonNode call(String key, String path, int expected, HttpRequest.BodyPublisher body, String method,
            String contentType) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).header("X-Api-Key", key)
                .method(method, body);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return json.readTree(response.body());
    }

    private static String digest(FileChannel channel, long offset, long length, ByteBuffer buffer, MessageDigest sha)
            throws IOException {
        sha.reset();
        long position = offset;
        long end = offset + length;
        while (position < end) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
            int n = channel.read(buffer, position);
            if (n < 0) {
                throw new IOException("file ended at " + position + ", before " + end);
            }
            position += n;
            buffer.flip();
            sha.update(buffer);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code length} bytes of a shared channel from {@code offset}, read with positional reads. */
    private static final class RangeInputStream extends InputStream {
        private final FileChannel channel;
        private long position;
        private final long end;

        RangeInputStream(FileChannel channel, long offset, long length) {
            this.channel = channel;
            this.position = offset;
            this.end = offset + length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= end) {
                return -1;
            }
            int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
            if (n < 0) {
                throw new UncheckedIOException(new IOException("file ended at " + position + ", before " + end));
            }
            position += n;
            return n;
        }
    }
}
