package dev.aar.queue;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What to enqueue.
 *
 * @param type the handler that runs it (for example "analysis")
 * @param payload the job's input as a JSON document
 * @param priority how urgent it is
 * @param idempotencyKey optional; a second enqueue with the same key returns the first job
 * @param runAt optional earliest start; null means now
 * @param owner optional; who the job belongs to (an organization), so that
 *     {@link JobQueue#deadLetters(String, int)} lists one owner's jobs without reading anyone else's
 */
public record JobRequest(String type, String payload, JobPriority priority, @Nullable String idempotencyKey,
        @Nullable Instant runAt, @Nullable String owner) {

    public JobRequest {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(priority, "priority");
    }

    /** A request without an owner (the shape before owners existed). */
    public JobRequest(String type, String payload, JobPriority priority, @Nullable String idempotencyKey,
            @Nullable Instant runAt) {
        this(type, payload, priority, idempotencyKey, runAt, null);
    }

    /** A job of {@code type} with {@code payload} at {@code priority}, to run now. */
    public static JobRequest of(String type, String payload, JobPriority priority) {
        return new JobRequest(type, payload, priority, null, null);
    }

    /** Returns a copy carrying an idempotency key. */
    public JobRequest withIdempotencyKey(String key) {
        return new JobRequest(type, payload, priority, key, runAt, owner);
    }

    /** Returns a copy that may not start before {@code at}. */
    public JobRequest withRunAt(Instant at) {
        return new JobRequest(type, payload, priority, idempotencyKey, at, owner);
    }

    /** Returns a copy belonging to {@code owner} (an organization id). */
    public JobRequest withOwner(String owner) {
        return new JobRequest(type, payload, priority, idempotencyKey, runAt, owner);
    }
}
