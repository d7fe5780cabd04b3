package dev.aar.jdbc.internal;

import dev.aar.queue.Job;
import dev.aar.queue.JobError;
import dev.aar.queue.JobPriority;
import dev.aar.queue.JobState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.statement.StatementContext;

/** One row of the {@code jobs} table, with the lease columns the {@link Job} record does not carry. */
record JobRow(long id, String type, String payload, int priority, String state, int attempts, String idempotencyKey,
        Instant createdAt, Instant runAt, long fencingToken, String leaseOwner, Instant leaseExpiresAt, String owner) {

    static JobRow map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new JobRow(rs.getLong("id"), rs.getString("type"), rs.getString("payload"), rs.getInt("priority"),
                rs.getString("state"), rs.getInt("attempts"), rs.getString("idempotency_key"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "run_at"), rs.getLong("fencing_token"),
                rs.getString("lease_owner"), Sql.instant(rs, "lease_expires_at"), rs.getString("owner_id"));
    }

    Job toJob(List<JobError> errors) {
        return new Job(Long.toString(id), type, payload, JobPriority.ofValue(priority), JobState.valueOf(state),
                attempts, idempotencyKey, createdAt, runAt, errors, owner);
    }

    /** The job as seen at {@code nowMillis}: a running job whose lease has lapsed is queued again. */
    Job toJob(List<JobError> errors, long nowMillis) {
        Job job = toJob(errors);
        if (job.state() == JobState.RUNNING && leaseExpiresAt != null && leaseExpiresAt.toEpochMilli() <= nowMillis) {
            return new Job(job.id(), type, payload, job.priority(), JobState.QUEUED, attempts, idempotencyKey,
                    createdAt, runAt, errors, owner);
        }
        return job;
    }
}
