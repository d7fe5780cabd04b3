package dev.aar.queue;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A job as the queue holds it.
 *
 * @param id queue-assigned id
 * @param type the handler that runs it
 * @param payload its JSON input
 * @param priority how urgent it is
 * @param state where it is in its life
 * @param attempts how many times it has been claimed
 * @param idempotencyKey the key it was enqueued with, or null
 * @param createdAt when it was enqueued
 * @param runAt earliest time it may be claimed
 * @param errors every failure recorded so far, oldest first
 * @param owner who the job belongs to (an organization), as enqueued; null if none was given
 */
public record Job(
        String id,
        String type,
        String payload,
        JobPriority priority,
        JobState state,
        int attempts,
        @Nullable String idempotencyKey,
        Instant createdAt,
        Instant runAt,
        List<JobError> errors,
        @Nullable String owner) {

    public Job {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(runAt, "runAt");
        errors = List.copyOf(errors);
    }

    /** A job without an owner (the shape before owners existed). */
    public Job(String id, String type, String payload, JobPriority priority, JobState state, int attempts,
            @Nullable String idempotencyKey, Instant createdAt, Instant runAt, List<JobError> errors) {
        this(id, type, payload, priority, state, attempts, idempotencyKey, createdAt, runAt, errors, null);
    }
}
