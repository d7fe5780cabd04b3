package dev.aar.examples.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aar.core.Aar;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * What route handlers share: the wired SDK, the API keys, the event hub, the JSON mapper, and the
 * readiness probes of the backends.
 *
 * @param aar the SDK instance (stores, queue, services)
 * @param keys issued API keys
 * @param hub server-sent events fan-out
 * @param json the mapper every response uses
 * @param clock time source
 * @param limits request size and rate limits
 * @param databaseProbe throws when the database is unreachable (null when there is none)
 * @param uploadSlots the per-key cap on request bodies streamed at once
 * @param expensive the per-organization bulkhead and time budget of expensive calls
 * @param spoolDirectory the owner-only directory multipart uploads spool to (null: a private one in java.io.tmpdir)
 */
record ServerContext(Aar aar, ApiKeyStore keys, EventHub hub, ObjectMapper json, Clock clock, ServerLimits limits,
        Supplier<String> databaseProbe, UploadSlots uploadSlots, ExpensiveWork expensive, Path spoolDirectory) {

    /** A context whose upload cap and bulkheads are made from {@code limits}, spooling to {@code spoolDirectory}. */
    ServerContext(Aar aar, ApiKeyStore keys, EventHub hub, ObjectMapper json, Clock clock, ServerLimits limits,
            Supplier<String> databaseProbe, Path spoolDirectory) {
        this(aar, keys, hub, json, clock, limits, databaseProbe,
                new UploadSlots(limits.maxUploadsPerKey(), limits.retryAfterSeconds()), new ExpensiveWork(limits),
                spoolDirectory);
    }

    /** A context whose multipart uploads spool to a private directory in java.io.tmpdir. */
    ServerContext(Aar aar, ApiKeyStore keys, EventHub hub, ObjectMapper json, Clock clock, ServerLimits limits,
            Supplier<String> databaseProbe) {
        this(aar, keys, hub, json, clock, limits, databaseProbe, null);
    }

    /** Returns the owner-only directory multipart uploads spool to while they arrive. */
    Path uploadSpool() {
        return spoolDirectory != null ? spoolDirectory : SpoolDirectory.fallback();
    }

    /** Request attribute holding the authenticated {@link ApiKey}. */
    static final String API_KEY_ATTRIBUTE = "aar.apiKey";

    /** Returns the API key that authenticated this request (set by {@link Auth}). */
    static ApiKey key(Context ctx) {
        ApiKey key = ctx.attribute(API_KEY_ATTRIBUTE);
        if (key == null) {
            throw new IllegalStateException("route " + ctx.path() + " is not behind authentication");
        }
        return key;
    }

    /** Returns the organization of the authenticated caller: it owns projects, sessions and jobs. */
    static String owner(Context ctx) {
        return key(ctx).organizationId();
    }
}
