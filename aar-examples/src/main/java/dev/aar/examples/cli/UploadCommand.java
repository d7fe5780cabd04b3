package dev.aar.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aar.examples.server.Sha256;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    @Parameters(index = "0", paramLabel = "FILE", description = "the archive: .zip, .tar, .tar.gz/.tgz or .tar.xz (told apart by its content)")
    Path file;

    @Mixin
    ServerOptions server;

    @Option(names = "--parts", paramLabel = "N", defaultValue = "" + DEFAULT_PARALLEL_PARTS,
            description = "parts sent in parallel (default: ${DEFAULT-VALUE})")
    int parallel;

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
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            List<Future<?>> sent = new ArrayList<>();
            for (int part : missing) {
                sent.add(pool.submit(() -> {
                    long offset = (part - 1) * partSize;
                    byte[] bytes = read(channel, offset, (int) Math.min(partSize, total - offset));
                    sendPart(api, id, part, bytes);
                    bar.add(bytes.length);
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

    /** Sends one part with its SHA-256; retries what may pass next time, with exponential backoff. */
    private void sendPart(ApiClient api, String sessionId, int part, byte[] bytes) throws InterruptedException {
        String checksum = Base64.getEncoder().encodeToString(Sha256.digest(bytes));
        for (int attempt = 1; ; attempt++) {
            try {
                api.put("/api/v1/uploads/sessions/" + sessionId + "/parts/" + part, bytes,
                        Map.of("x-checksum-sha256", checksum));
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

    private static byte[] read(FileChannel channel, long offset, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (channel.read(buf, offset + buf.position()) < 0) {
                throw new IOException("the file shrank while uploading");
            }
        }
        return buf.array();
    }
}
