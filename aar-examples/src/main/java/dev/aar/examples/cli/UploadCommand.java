package dev.aar.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aar upload FILE --server URL --key K}: a resumable, parallel upload to a running
 * {@code aar serve}, then a project made from it. The session id is remembered per file, so a run
 * that was interrupted (network, Ctrl-C, a crash) sends only the parts the server does not have.
 *
 * <p>Each sending thread reads its part into one direct buffer it keeps for the whole run, checksums
 * it there and hands the same buffer to the HTTP client: no copy of the part on the Java heap.
 */
@Command(name = "upload", mixinStandardHelpOptions = true,
        description = "Uploads an archive to an aar serve in parallel, checksummed parts (resumable) and creates a project.")
final class UploadCommand implements Callable<Integer> {

    /** Parts sent at once by default. */
    static final int DEFAULT_PARALLEL_PARTS = 4;
    /** Tries per part before giving up (the run can be resumed later). */
    static final int DEFAULT_ATTEMPTS = 5;
    /** First pause between tries; doubles each time, capped at {@link #MAX_BACKOFF_MILLIS}. */
    static final long BASE_BACKOFF_MILLIS = 500;
    static final long MAX_BACKOFF_MILLIS = 8_000;

    /** The checksum sent with every part; the server verifies it, and records each part's SHA-256 either way. */
    enum Checksum {
        /** {@code x-checksum-crc32c}: catches corruption on the way at a small fraction of SHA-256's cost. */
        crc32c,
        /** {@code x-checksum-sha256}: a cryptographic digest of each part, about 1 CPU-second per GiB more. */
        sha256
    }

    static final Checksum DEFAULT_CHECKSUM = Checksum.crc32c;

    @Parameters(index = "0", paramLabel = "FILE", description = "the archive: .zip, .tar, .tar.gz/.tgz or .tar.xz (told apart by its content)")
    Path file;

    @Mixin
    ServerOptions server;

    @Option(names = "--parts", paramLabel = "N", defaultValue = "" + DEFAULT_PARALLEL_PARTS,
            description = "parts sent in parallel (default: ${DEFAULT-VALUE})")
    int parallel;

    @Option(names = "--checksum", paramLabel = "ALG", defaultValue = "crc32c",
            description = "checksum sent with every part and verified by the server: ${COMPLETION-CANDIDATES}"
                    + " (default: ${DEFAULT-VALUE})")
    Checksum checksum = DEFAULT_CHECKSUM;

    @Option(names = "--name", description = "the project's name (default: the file name)")
    String name;

    @Option(names = "--attempts", paramLabel = "N", defaultValue = "" + DEFAULT_ATTEMPTS,
            description = "tries per part before the run stops; run again to resume (default: ${DEFAULT-VALUE})")
    int attempts;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "where unfinished uploads are remembered (default: ~/.cache/aar/uploads)")
    Path stateDirectory;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isRegularFile(file)) {
            err.println("aar: no such file: " + file);
            return AarCli.EXIT_REFUSED;
        }
        if (parallel < 1 || parallel > 64 || attempts < 1) {
            err.println("aar: --parts must be 1..64 and --attempts >= 1");
            return AarCli.EXIT_REFUSED;
        }
        try {
            ApiClient api = server.client();
            UploadState state = UploadState.of(stateDirectory != null ? stateDirectory : UploadState.defaultDirectory(),
                    server.server, file);
            JsonNode session = openSession(api, state, err);
            String id = session.get("sessionId").asText();
            if (!"completed".equalsIgnoreCase(session.get("status").asText())) {
                sendMissingParts(api, session, err);
                api.post("/api/v1/uploads/sessions/" + id + "/finalize", null);
            }
            JsonNode project = api.post("/api/v1/projects", Map.of("uploadSessionId", id,
                    "name", name != null ? name : file.getFileName().toString()));
            state.clear();
            err.println("uploaded " + file.getFileName() + " as project " + project.get("id").asText());
            out.println(project.get("id").asText());
            out.flush();
            return 0;
        } catch (ApiClient.Failure f) {
            err.println("aar: " + f.describe());
            if (f.transient_()) {
                err.println("aar: run the same command again to resume the upload");
            }
            return f.exitCode();
        }
    }

    /** Resumes the remembered session if the server still has it open, else starts a new one. */
    private JsonNode openSession(ApiClient api, UploadState state, PrintWriter err) throws IOException {
        var saved = state.sessionId();
        if (saved.isPresent()) {
            try {
                JsonNode s = api.get("/api/v1/uploads/sessions/" + saved.get());
                String status = s.get("status").asText();
                if ("active".equalsIgnoreCase(status) || "completed".equalsIgnoreCase(status)) {
                    err.printf(Locale.ROOT, "resuming session %s: %,d of %,d bytes already on the server%n",
                            saved.get(), s.get("bytesReceived").asLong(), s.get("totalSize").asLong());
                    return s;
                }
                err.println("session " + saved.get() + " is " + status + "; starting a new one");
            } catch (ApiClient.Failure f) {
                if (f.transient_()) {
                    throw f;
                }
                err.println("session " + saved.get() + " is gone (" + f.describe() + "); starting a new one");
            }
        }
        JsonNode created = api.post("/api/v1/uploads/sessions",
                Map.of("fileName", file.getFileName().toString(), "totalSize", Files.size(file)));
        String id = created.get("sessionId").asText();
        state.save(id);
        return api.get("/api/v1/uploads/sessions/" + id);
    }

    private void sendMissingParts(ApiClient api, JsonNode session, PrintWriter err) throws Exception {
        String id = session.get("sessionId").asText();
        long partSize = session.get("partSize").asLong();
        long total = session.get("totalSize").asLong();
        List<Integer> missing = new ArrayList<>();
        session.get("missingParts").forEach(n -> missing.add(n.asInt()));
        TransferBar bar = new TransferBar(err, System.console() != null, "Uploading", total,
                session.get("bytesReceived").asLong());
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, Math.max(1, missing.size())), r -> {
            Thread t = new Thread(r, "aar-upload");
            t.setDaemon(true);
            return t;
        });
        // one buffer per sending thread for the whole run: parts are read, checksummed and sent from it
        ThreadLocal<ByteBuffer> buffers = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(
                (int) Math.min(partSize, total)));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            List<Future<?>> sent = new ArrayList<>();
            for (int part : missing) {
                sent.add(pool.submit(() -> {
                    long offset = (part - 1) * partSize;
                    ByteBuffer bytes = read(channel, offset, (int) Math.min(partSize, total - offset), buffers.get());
                    sendPart(api, id, part, bytes);
                    bar.add(bytes.remaining());
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    pool.shutdownNow();
                    bar.finish();
                    throw e.getCause() instanceof Exception ex ? ex : e;
                }
            }
            bar.finish();
        } finally {
            pool.shutdownNow();
        }
    }

    /** Sends one part with its checksum; retries what may pass next time, with exponential backoff. */
    private void sendPart(ApiClient api, String sessionId, int part, ByteBuffer bytes) throws InterruptedException {
        Map<String, String> header = checksumHeader(checksum, bytes);
        for (int attempt = 1; ; attempt++) {
            try {
                api.put("/api/v1/uploads/sessions/" + sessionId + "/parts/" + part, bytes, header);
                return;
            } catch (ApiClient.Failure f) {
                if (!f.transient_() || attempt >= attempts) {
                    throw f;
                }
                long wait = f.retryAfterSeconds > 0 ? f.retryAfterSeconds * 1000
                        : Math.min(MAX_BACKOFF_MILLIS, BASE_BACKOFF_MILLIS << (attempt - 1));
                Thread.sleep(wait);
            }
        }
    }

    /** The header that carries the part's checksum, as the server parses it; leaves {@code bytes} as it was. */
    static Map<String, String> checksumHeader(Checksum algorithm, ByteBuffer bytes) {
        if (algorithm == Checksum.sha256) {
            java.security.MessageDigest sha;
            try {
                sha = java.security.MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            sha.update(bytes.duplicate());
            return Map.of("x-checksum-sha256", HexFormat.of().formatHex(sha.digest()));
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes.duplicate());
        int value = (int) crc.getValue();
        byte[] big = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        return Map.of("x-checksum-crc32c", Base64.getEncoder().encodeToString(big));
    }

    /** Reads {@code length} bytes at {@code offset} into {@code buffer}; returns it flipped, ready to send. */
    private static ByteBuffer read(FileChannel channel, long offset, int length, ByteBuffer buffer) throws IOException {
        buffer.clear().limit(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                throw new IOException("the file shrank while uploading");
            }
        }
        return buffer.flip();
    }
}
