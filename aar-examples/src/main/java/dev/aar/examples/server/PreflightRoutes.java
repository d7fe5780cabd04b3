package dev.aar.examples.server;

import dev.aar.core.preflight.PreflightResult;
import dev.aar.core.preflight.RejectionReason;
import dev.aar.core.preflight.TokenMode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The spec's preflight endpoints: estimate an archive sent in the request (streamed, never kept),
 * estimate a stored project, and approve a project above the auto-approval thresholds.
 *
 * <p>An archive that is over a limit (too many files, too large inflated) is answered 200 with
 * {@code isWithinLimits: false} and its {@code rejectionReasons}, as in the spec; a hostile or
 * corrupt one is a 422 problem whose code is the first reason's (for example
 * {@code archive.path_traversal}), and one over {@code MaxUploadSizeMb} a 413.
 */
final class PreflightRoutes implements Routes {

    /** Reason codes that mean "over a limit", answered as a normal preflight result. */
    private static final Set<String> LIMIT_CODES = Set.of("archive.too_many_entries", "archive.too_many_files", "archive.too_large");
    private static final String UPLOAD_TOO_LARGE = "archive.upload_too_large";

    private final ServerContext server;

    PreflightRoutes(ServerContext server) {
        this.server = server;
    }

    @Override
    public void register(Javalin app) {
        app.post("/api/v1/preflight/analyze-stream", this::analyzeStream);
        app.post("/api/v1/preflight/analyze/{projectId}", this::analyzeProject);
        app.post("/api/v1/preflight/{projectId}/approve", this::approve);
    }

    private void analyzeStream(Context ctx) {
        TokenMode mode = mode(ctx); // refuse a bad parameter before reading the body
        PreflightResult result;
        // the body holds an upload slot and the tokenizing an expensive-work permit, both refused before a byte is read
        try (UploadSlots.Slot slot = server.uploadSlots().acquire(ctx)) {
            result = server.expensive().run(ctx, cancellation -> {
                ArchiveBody body = ArchiveBody.open(ctx, server.aar().config().scaleLimits().maxUploadSizeBytes(),
                        server.uploadSpool());
                try (InputStream in = body.stream()) {
                    return server.aar().analysis().preflight(in, mode, cancellation);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the archive", e);
                }
            });
        }
        answer(ctx, result);
    }

    private void analyzeProject(Context ctx) {
        TokenMode mode = mode(ctx);
        String projectId = ctx.pathParam("projectId");
        answer(ctx, server.expensive().run(ctx, cancellation ->
                server.aar().analysis().preflight(ServerContext.owner(ctx), projectId, mode, cancellation)));
    }

    private void approve(Context ctx) {
        // approval is the control over large (costly) analyses: only keys an operator trusted with it
        Auth.require(ctx, ApiKey.APPROVE, "approving a project");
        ApiKey key = ServerContext.key(ctx);
        String by = key.name() == null || key.name().isBlank() ? key.id() : key.name() + " (" + key.id() + ")";
        ctx.json(Views.ProjectView.of(server.aar().analysis().approve(key.organizationId(), ctx.pathParam("projectId"), by)));
    }

    private static void answer(Context ctx, PreflightResult result) {
        for (RejectionReason r : result.rejectionReasons()) {
            if (r.code().equals(UPLOAD_TOO_LARGE)) {
                Problems.send(ctx, 413, HttpStatus.CONTENT_TOO_LARGE.getMessage(), r.code(), r.message(),
                        Map.of("rejectionReasons", result.rejectionReasons()));
                return;
            }
        }
        for (RejectionReason r : result.rejectionReasons()) {
            if (r.code().startsWith("archive.") && !LIMIT_CODES.contains(r.code())) {
                Problems.send(ctx, 422, HttpStatus.UNPROCESSABLE_CONTENT.getMessage(), r.code(), r.message(),
                        Map.of("rejectionReasons", result.rejectionReasons()));
                return;
            }
        }
        ctx.json(result);
    }

    /** Reads {@code ?mode=fast|exact} (default fast: sampled token counts). */
    private static TokenMode mode(Context ctx) {
        String mode = ctx.queryParam("mode");
        if (mode == null || mode.isBlank()) {
            return TokenMode.FAST;
        }
        try {
            return TokenMode.valueOf(mode.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Problems.invalid("mode must be 'fast' or 'exact', was '" + mode + "'");
        }
    }
}
