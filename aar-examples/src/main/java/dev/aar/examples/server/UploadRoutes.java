package dev.aar.examples.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aar.core.error.UploadSessionException;
import dev.aar.core.upload.PartChecksum;
import dev.aar.core.upload.UploadSessionManager;
import dev.aar.core.wiring.internal.Collaborators;
import dev.aar.storage.UploadPart;
import dev.aar.storage.UploadSession;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;

/**
 * The spec's resumable uploads: create a session, send parts (streamed to the blob store and
 * verified against {@code x-checksum-sha256}, {@code Content-MD5} or {@code x-checksum-crc32c}), read its
 * status, finalize or cancel it. Sessions belong to the caller's organization.
 */
final class UploadRoutes implements Routes {

    static final String SHA256_HEADER = "x-checksum-sha256";
    static final String MD5_HEADER = "Content-MD5";
    static final String CRC32C_HEADER = "x-checksum-crc32c";
    /** S3's names for the same two checksums, accepted as aliases so S3-style clients need no change. */
    static final String AMZ_SHA256_HEADER = "x-amz-checksum-sha256";
    static final String AMZ_CRC32C_HEADER = "x-amz-checksum-crc32c";

    private final ServerContext server;

    UploadRoutes(ServerContext server) {
        this.server = server;
    }

    @Override
    public void register(Javalin app) {
        app.post("/api/v1/uploads/sessions", this::create);
        app.get("/api/v1/uploads/sessions/{id}", this::status);
        app.put("/api/v1/uploads/sessions/{id}/parts/{part}", this::putPart);
        app.post("/api/v1/uploads/sessions/{id}/finalize", this::finalizeSession);
        app.delete("/api/v1/uploads/sessions/{id}", this::cancel);
    }

    private UploadSessionManager uploads() {
        return server.aar().uploadSessionManager();
    }

    private void create(Context ctx) {
        JsonNode body = JsonBodies.object(ctx, server.json(), server.limits().maxJsonBytes(), false);
        String fileName = JsonBodies.text(body, "fileName", true);
        long totalSize = JsonBodies.wholeNumber(body, "totalSize");
        String sha256 = JsonBodies.text(body, "sha256", false);
        UploadSession s = uploads().create(ServerContext.owner(ctx), fileName, totalSize, sha256);
        ctx.status(HttpStatus.CREATED).header("Location", "/api/v1/uploads/sessions/" + s.id())
                .json(Views.SessionCreated.of(s));
    }

    private void status(Context ctx) {
        ctx.json(Views.SessionView.of(uploads().status(ServerContext.owner(ctx), ctx.pathParam("id"))));
    }

    private void putPart(Context ctx) throws IOException {
        String owner = ServerContext.owner(ctx);
        String id = ctx.pathParam("id");
        int partNumber = partNumber(ctx.pathParam("part"));
        long length = ctx.req().getContentLengthLong();
        if (length < 0) {
            throw new Problems.HttpProblem(HttpStatus.LENGTH_REQUIRED, "upload.length_required",
                    "a part needs a Content-Length header (chunked bodies are refused)");
        }
        // the cheap lookup (no part list) decides 404 and 413 before any byte is read
        UploadSession session = Collaborators.of(server.aar()).uploadSessionStore().find(id).filter(s -> s.ownerId().equals(owner))
                .orElseThrow(() -> new UploadSessionException(UploadSessionException.Reason.NOT_FOUND,
                        "upload session " + id + " not found"));
        if (length > session.partSize()) {
            throw new Problems.HttpProblem(HttpStatus.CONTENT_TOO_LARGE, "upload.part_too_large", "part " + partNumber
                    + " is " + length + " bytes, more than the session's part size of " + session.partSize());
        }
        PartChecksum checksum = checksum(ctx);
        UploadPart part;
        try (UploadSlots.Slot slot = server.uploadSlots().acquire(ctx); InputStream in = ctx.req().getInputStream()) {
            part = uploads().putPart(owner, id, partNumber, in, length, checksum);
        }
        ctx.json(Views.PartView.of(part));
    }

    private void finalizeSession(Context ctx) {
        String owner = ServerContext.owner(ctx);
        String id = ctx.pathParam("id");
        uploads().finalizeSession(owner, id);
        ctx.json(Views.SessionView.of(uploads().status(owner, id)));
    }

    private void cancel(Context ctx) {
        uploads().cancel(ServerContext.owner(ctx), ctx.pathParam("id"));
        ctx.status(HttpStatus.NO_CONTENT);
    }

    /**
     * The part's checksum, the strongest one sent: {@code x-checksum-sha256} (or S3's
     * {@code x-amz-checksum-sha256}), else {@code Content-MD5}, else {@code x-checksum-crc32c} (or
     * {@code x-amz-checksum-crc32c}), else none. The server computes the part's SHA-256 whichever it is.
     */
    private static PartChecksum checksum(Context ctx) {
        String sha = header(ctx, SHA256_HEADER, AMZ_SHA256_HEADER);
        String md5 = ctx.header(MD5_HEADER);
        String crc = header(ctx, CRC32C_HEADER, AMZ_CRC32C_HEADER);
        try {
            if (sha != null && !sha.isBlank()) {
                return PartChecksum.sha256(sha);
            }
            if (md5 != null && !md5.isBlank()) {
                return PartChecksum.md5(md5);
            }
            if (crc != null && !crc.isBlank()) {
                return PartChecksum.crc32c(crc);
            }
        } catch (IllegalArgumentException e) {
            throw Problems.invalid(e.getMessage());
        }
        return null;
    }

    /** The first of the two headers that is present and not blank, or null. */
    private static String header(Context ctx, String name, String alias) {
        String value = ctx.header(name);
        return value != null && !value.isBlank() ? value : ctx.header(alias);
    }

    private static int partNumber(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw Problems.invalid("part number must be a whole number, was '" + text + "'");
        }
    }
}
