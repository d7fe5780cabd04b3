package dev.aar.examples.server;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caps the request bodies one API key streams at once ({@link ServerLimits#maxUploadsPerKey()}):
 * each holds a request thread for as long as its client takes to send it, so without a cap one key
 * with slow connections could hold every thread. Beyond the cap: 429 {@code upload.too_many_concurrent}
 * with {@code Retry-After}, answered before a byte of the body is read.
 */
final class UploadSlots {

    private final int perKey;
    private final long retryAfterSeconds;
    private final Map<String, Integer> inUse = new ConcurrentHashMap<>();

    UploadSlots(int perKey, long retryAfterSeconds) {
        this.perKey = perKey;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** A held slot; closing it frees the slot. */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /** Takes a slot for the request's API key, or refuses the request with 429. */
    Slot acquire(Context ctx) {
        String key = ServerContext.key(ctx).id();
        boolean[] taken = new boolean[1];
        // compute() is atomic per key: the count can never pass the cap, even under a burst of connections
        inUse.compute(key, (k, n) -> {
            int now = n == null ? 0 : n;
            taken[0] = now < perKey;
            return taken[0] ? now + 1 : n;
        });
        if (!taken[0]) {
            ctx.header("Retry-After", Long.toString(retryAfterSeconds));
            throw new Problems.HttpProblem(HttpStatus.TOO_MANY_REQUESTS, "upload.too_many_concurrent",
                    "this API key is already sending " + perKey + " request bodies; wait for one to finish (retry after "
                            + retryAfterSeconds + " s)");
        }
        boolean[] released = new boolean[1];
        return () -> {
            if (!released[0]) {
                released[0] = true;
                inUse.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1); // an idle key keeps no entry
            }
        };
    }

    /** How many bodies the key streams now (for tests). */
    int inUse(String keyId) {
        return inUse.getOrDefault(keyId, 0);
    }
}
