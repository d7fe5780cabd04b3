package dev.aar.examples.server;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Instant;

/**
 * Authenticates {@code /api/*} and {@code /hubs/*} requests by their {@code X-Api-Key} header and
 * applies the per-key rate limit (429 with {@code Retry-After}). On {@code /hubs/*} only, the key
 * may also come as {@code Authorization: Bearer <key>} or an {@code access_token} query parameter,
 * as SignalR clients ({@code accessTokenFactory}) and browsers' {@code EventSource} send it.
 */
final class Auth {

    static final String HEADER = "X-Api-Key";

    private final ApiKeyStore keys;
    private final KeyRateLimiter limiter;

    Auth(ApiKeyStore keys, KeyRateLimiter limiter) {
        this.keys = keys;
        this.limiter = limiter;
    }

    /**
     * Refuses the request with 403 {@code auth.forbidden} unless its key carries {@code right}.
     *
     * @throws Problems.HttpProblem 403 when the right is missing
     */
    static void require(Context ctx, String right, String action) {
        if (!ServerContext.key(ctx).has(right)) {
            throw new Problems.HttpProblem(HttpStatus.FORBIDDEN, "auth.forbidden", action + " needs an API key with the '"
                    + right + "' right (an operator grants it: aar keys create ORG --right " + right + ")");
        }
    }

    void check(Context ctx) {
        if (ctx.method().name().equals("OPTIONS")) {
            return;
        }
        String secret = secret(ctx);
        // looked up on every request (the table, or the file if it changed): a revoked key is refused at once
        ApiKey key = keys.find(secret).orElse(null);
        Instant now = keys.now();
        if (key == null || key.isRevokedAt(now)) {
            ctx.header("WWW-Authenticate", "ApiKey header=\"" + HEADER + "\"");
            throw secret == null
                    ? new Problems.HttpProblem(HttpStatus.UNAUTHORIZED, "auth.missing_key", "missing X-Api-Key header")
                    : key == null ? new Problems.HttpProblem(HttpStatus.UNAUTHORIZED, "auth.unknown_key", "unknown API key")
                    : new Problems.HttpProblem(HttpStatus.UNAUTHORIZED, "auth.revoked_key", "this API key was revoked");
        }
        keys.recordUse(key, now);
        // part uploads are not counted: a 1 GiB upload is 256 of them in a few seconds, and each is
        // already bounded by its session (part size, part count, expiry) and the storage quota
        long wait = isPartUpload(ctx) ? 0 : limiter.acquire(key.id());
        if (wait > 0) {
            ctx.header("Retry-After", Long.toString(wait));
            throw new Problems.HttpProblem(HttpStatus.TOO_MANY_REQUESTS, "rate.limited",
                    "too many requests for this API key; retry after " + wait + " s");
        }
        ctx.attribute(ServerContext.API_KEY_ATTRIBUTE, key);
    }

    private static String secret(Context ctx) {
        String secret = ctx.header(HEADER);
        if (secret != null || !ctx.path().startsWith("/hubs/")) {
            return secret;
        }
        String authorization = ctx.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        return ctx.queryParam("access_token");
    }

    private static boolean isPartUpload(Context ctx) {
        return ctx.method().name().equals("PUT") && ctx.path().startsWith("/api/v1/uploads/sessions/")
                && ctx.path().contains("/parts/");
    }
}
