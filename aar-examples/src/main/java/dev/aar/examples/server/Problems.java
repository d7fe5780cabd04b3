package dev.aar.examples.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.aar.core.error.AarException;
import dev.aar.core.error.ArchiveRejectedException;
import dev.aar.core.error.NotFoundException;
import dev.aar.core.error.QuotaExceededException;
import dev.aar.core.error.UploadSessionException;
import dev.aar.core.preflight.ApprovalRequiredException;
import dev.aar.core.redact.ClientError;
import dev.aar.core.redact.Redactor;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into an {@code application/problem+json} response with a stable {@code code}:
 * the SDK's {@link AarException}s keep their own codes, HTTP errors get {@code http.<status>}, and
 * anything unexpected is a 500. Every detail has its secrets masked; a message taken from an exception
 * also has absolute paths shortened; a 5xx shows only its code and a {@code correlationId} that the
 * server log repeats beside the full exception (wrapped IO and SQL messages stay in the log).
 */
final class Problems {

    static final String CONTENT_TYPE = "application/problem+json";

    private static final Logger log = LoggerFactory.getLogger(Problems.class);

    private Problems() {
    }

    /** An error a route raises on purpose with a status and a code. */
    static final class HttpProblem extends RuntimeException {
        final HttpStatus status;
        final String code;

        HttpProblem(HttpStatus status, String code, String detail) {
            super(detail);
            this.status = status;
            this.code = code;
        }
    }

    /** A 400 {@code request.invalid}: a parameter, header or field has a wrong value. */
    static HttpProblem invalid(String detail) {
        return new HttpProblem(HttpStatus.BAD_REQUEST, "request.invalid", detail);
    }

    static void register(Javalin app) {
        app.exception(HttpProblem.class, (e, ctx) -> send(ctx, e.status.getCode(), e.status.getMessage(), e.code, e.getMessage()));
        app.exception(AarException.class, (e, ctx) -> {
            // the SDK's own code (upload.interrupted, …) says more about a body the client cut than ours would
            BodyReadException r = BodyReadException.in(e);
            if (r != null && r.refused && bodyRefused(ctx, e)) {
                return;
            }
            int status = status(e);
            if (status >= 500) {
                serverFailure(ctx, status, e);
            } else {
                send(ctx, status, title(e), e.code(), Redactor.forClient(e.getMessage()));
            }
        });
        app.exception(JsonProcessingException.class, (e, ctx) -> send(ctx, 400, "Bad Request", "request.malformed_json",
                "the body is not valid JSON: " + Redactor.forClient(e.getOriginalMessage())));
        app.exception(IllegalArgumentException.class, (e, ctx) ->
                send(ctx, 400, "Bad Request", "request.invalid", Redactor.forClient(e.getMessage())));
        app.exception(HttpResponseException.class, (e, ctx) ->
                send(ctx, e.getStatus(), HttpStatus.forStatus(e.getStatus()).getMessage(), "http." + e.getStatus(),
                        Redactor.forClient(e.getMessage())));
        app.exception(BodyReadException.class, (e, ctx) -> bodyRefused(ctx, e));
        app.exception(Exception.class, (e, ctx) -> {
            if (!bodyRefused(ctx, e)) {
                serverFailure(ctx, 500, e);
            }
        });
        app.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                send(ctx, 404, "Not Found", "http.404", "no route for " + ctx.method() + " " + ctx.path());
            }
        });
    }

    /**
     * Answers a body refused while it was read (wherever the refusal surfaced, however wrapped) and
     * closes the connection, since the rest of the body is never read; false if {@code e} is no such refusal.
     */
    private static boolean bodyRefused(Context ctx, Throwable e) {
        BodyReadException b = BodyReadException.in(e);
        if (b == null) {
            return false;
        }
        ctx.header("Connection", "close");
        send(ctx, b.status, HttpStatus.forStatus(b.status).getMessage(), b.code, b.getMessage());
        return true;
    }

    /**
     * Answers a server failure with its code and a new correlation id only; the log line carries the same
     * id with the request and the whole exception.
     */
    private static void serverFailure(Context ctx, int status, Exception e) {
        ClientError shown = ClientError.of(e);
        log.error("{} {} failed with {} [correlation id {}]", ctx.method(), ctx.path(), status, shown.correlationId(), e);
        ctx.status(status).json(Problem.of(status, HttpStatus.forStatus(status).getMessage(), shown.code(),
                shown.message(), shown.correlationId())).contentType(CONTENT_TYPE);
    }

    static void send(Context ctx, int status, String title, String code, String detail) {
        // json() sets application/json, so the problem type goes on after it
        ctx.status(status).json(Problem.of(status, title, code, detail)).contentType(CONTENT_TYPE);
    }

    /** Sends a problem with RFC 9457 extension members beside the standard ones. */
    static void send(Context ctx, int status, String title, String code, String detail, Map<String, ?> extensions) {
        Problem p = Problem.of(status, title, code, detail);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", p.type());
        body.put("title", p.title());
        body.put("status", p.status());
        body.put("detail", p.detail());
        body.put("code", p.code());
        body.putAll(extensions);
        ctx.status(status).json(body).contentType(CONTENT_TYPE);
    }

    static int status(AarException e) {
        if (e instanceof NotFoundException) {
            return 404;
        }
        if (e instanceof QuotaExceededException) {
            return 429;
        }
        if (e instanceof ApprovalRequiredException) {
            return 409; // the project is in the wrong state, not the request
        }
        if (e instanceof UploadSessionException u) {
            return switch (u.reason()) {
                case NOT_FOUND -> 404;
                case EXPIRED -> 410;
                case TOO_LARGE -> 413;
                case ALREADY_FINALIZED, INCOMPLETE -> 409;
                default -> 400;
            };
        }
        if (e instanceof ArchiveRejectedException a) {
            return a.reason() == ArchiveRejectedException.Reason.UPLOAD_TOO_LARGE ? 413 : 422;
        }
        return e.isClientError() ? 400 : 503;
    }

    private static String title(AarException e) {
        return HttpStatus.forStatus(status(e)).getMessage();
    }
}
