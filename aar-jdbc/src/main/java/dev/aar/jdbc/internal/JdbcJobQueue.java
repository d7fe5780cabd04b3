package dev.aar.jdbc.internal;

import dev.aar.queue.ClaimOrder;
import dev.aar.queue.Job;
import dev.aar.queue.JobError;
import dev.aar.queue.JobPriority;
import dev.aar.queue.JobQueue;
import dev.aar.queue.JobRequest;
import dev.aar.queue.JobState;
import dev.aar.queue.Lease;
import dev.aar.queue.QueueStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link JobQueue} in the {@code jobs} and {@code job_errors} tables.
 *
 * <p>A claim picks jobs with {@code ORDER BY priority DESC, id} (or {@code id} for
 * {@link ClaimOrder#AGE}) and leases them (see {@link ClaimStatements}). Every acting call matches
 * {@code fencing_token}, {@code state = 'RUNNING'} and an unexpired lease, so a stale lease changes
 * nothing; a running job whose lease lapsed reads as queued. All timestamps come from the injected
 * {@link Clock}, never from the database.
 */
public final class JdbcJobQueue implements JobQueue {

    private static final Logger log = LoggerFactory.getLogger(JdbcJobQueue.class);
    /** Matches the current lease of a job: its token, running, and not lapsed. */
    private static final String CURRENT_LEASE = " state = 'RUNNING' AND lease_expires_at > :now"; // leading space: text blocks drop trailing ones

    /** Requests per INSERT statement: 500 rows of 7 parameters stay far below every driver's limit. */
    static final int ENQUEUE_ROWS_PER_STATEMENT = 500;
    /** Leases per batch-completion statement (two parameters each, and one for the id list). */
    static final int COMPLETE_LEASES_PER_STATEMENT = 500;
    /** Jobs deleted per transaction of a purge: each commit holds its row locks only this long. */
    static final int PURGE_ROWS_PER_TRANSACTION = 1_000;

    private final Jdbi jdbi;
    private final Customization customization;
    private final Clock clock;
    private final String channel;
    private final Duration maxIdleWait;
    private final WorkSignal signal = new WorkSignal();
    private final AutoCloseable listener;
    private final ClaimStatements claims;

    /**
     * @param channel the {@code NOTIFY} channel for this schema's queue
     * @param maxIdleWait the longest {@link #awaitWork} waits without re-checking the table (a safety
     *     net; notifications and due times normally wake it sooner)
     */
    public JdbcJobQueue(Jdbi jdbi, DataSource dataSource, Customization customization, Clock clock, String channel,
            Duration maxIdleWait) {
        this.jdbi = jdbi;
        this.customization = customization;
        this.clock = clock;
        this.channel = channel;
        this.maxIdleWait = maxIdleWait;
        this.claims = new ClaimStatements(customization);
        this.listener = customization.startWorkListener(dataSource, channel, Duration.ofSeconds(1),
                payload -> signal.signal(announced(payload)));
    }

    @Override
    public Job enqueue(JobRequest request) {
        return enqueueAll(List.of(request)).get(0);
    }

    @Override
    public List<Job> enqueueAll(List<JobRequest> requests) {
        requests.forEach(r -> Objects.requireNonNull(r, "request"));
        if (requests.isEmpty()) {
            return List.of();
        }
        long now = clock.millis();
        JobPriority top = requests.stream().map(JobRequest::priority).max(Comparator.naturalOrder()).orElseThrow();
        List<Job> jobs = Sql.inTransaction(jdbi, "enqueue", h -> {
            List<Job> result = new ArrayList<>(requests.size());
            boolean added = false;
            for (int from = 0; from < requests.size(); from += ENQUEUE_ROWS_PER_STATEMENT) {
                List<JobRequest> slice = requests.subList(from, Math.min(requests.size(), from + ENQUEUE_ROWS_PER_STATEMENT));
                added |= insert(h, slice, now, result);
            }
            if (added) {
                notifyOthers(h, top);
            }
            return result;
        });
        signal.signal(top);
        return jobs;
    }

    /**
     * Inserts {@code slice} with one multi-row statement; a request whose idempotency key is taken
     * (before, or earlier in the same statement) gets the existing job. Appends in request order.
     */
    private static boolean insert(Handle h, List<JobRequest> slice, long now, List<Job> result) {
        StringBuilder sql = new StringBuilder("INSERT INTO jobs (type, payload, priority, state, attempts, fencing_token,"
                + " run_at, idempotency_key, owner_id, created_at, updated_at) VALUES ");
        for (int i = 0; i < slice.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:type").append(i).append(", :payload").append(i)
                    .append(", :priority").append(i).append(", 'QUEUED', 0, 0, :runAt").append(i)
                    .append(", :key").append(i).append(", :owner").append(i).append(", :now, :now)");
        }
        sql.append(" ON CONFLICT (idempotency_key) DO NOTHING RETURNING *");
        var query = h.createQuery(sql.toString()).bind("now", now);
        for (int i = 0; i < slice.size(); i++) {
            JobRequest r = slice.get(i);
            query.bind("type" + i, r.type()).bind("payload" + i, r.payload()).bind("priority" + i, r.priority().value())
                    .bind("runAt" + i, r.runAt() == null ? now : Sql.millis(r.runAt())).bind("key" + i, r.idempotencyKey())
                    .bind("owner" + i, r.owner());
        }
        // identity values follow the VALUES order; RETURNING's own order is not guaranteed
        List<JobRow> inserted = new ArrayList<>(query.map(JobRow::map).list());
        inserted.sort(Comparator.comparingLong(JobRow::id));
        Map<String, JobRow> byKey = new HashMap<>();
        inserted.stream().filter(r -> r.idempotencyKey() != null).forEach(r -> byKey.put(r.idempotencyKey(), r));
        Iterator<JobRow> unkeyed = inserted.stream().filter(r -> r.idempotencyKey() == null).iterator();
        // keys taken before this statement: their jobs and errors in one query each, not one per request
        Map<String, JobRow> existingByKey = existing(h, slice, byKey.keySet());
        Map<Long, List<JobError>> existingErrors = errors(h, existingByKey.values().stream().map(JobRow::id).toList());
        Set<String> claimedKeys = new HashSet<>();
        for (JobRequest r : slice) {
            String key = r.idempotencyKey();
            JobRow row;
            if (key == null) {
                row = unkeyed.next();
            } else if (byKey.containsKey(key) && claimedKeys.add(key)) {
                row = byKey.get(key);
            } else {
                // a key repeated within this statement names a job inserted just now: no errors yet
                JobRow existing = byKey.containsKey(key) ? byKey.get(key) : existingByKey.get(key);
                result.add(existing.toJob(existingErrors.getOrDefault(existing.id(), List.of()), now));
                continue;
            }
            result.add(row.toJob(List.of()));
        }
        return !inserted.isEmpty();
    }

    /** Returns the jobs holding the keys of {@code slice} that this statement did not insert ({@code inserted}). */
    private static Map<String, JobRow> existing(Handle h, List<JobRequest> slice, Set<String> inserted) {
        Set<String> keys = new LinkedHashSet<>();
        for (JobRequest r : slice) {
            if (r.idempotencyKey() != null && !inserted.contains(r.idempotencyKey())) {
                keys.add(r.idempotencyKey());
            }
        }
        Map<String, JobRow> byKey = new HashMap<>();
        if (keys.isEmpty()) {
            return byKey;
        }
        h.createQuery("SELECT * FROM jobs WHERE idempotency_key IN (<keys>)").bindList("keys", new ArrayList<>(keys))
                .map(JobRow::map).forEach(row -> byKey.put(row.idempotencyKey(), row));
        for (String key : keys) {
            if (!byKey.containsKey(key)) {
                throw new IllegalStateException("no job holds idempotency key " + key
                        + ", though inserting it conflicted");
            }
        }
        return byKey;
    }

    @Override
    public List<Lease> claim(String workerId, int max, Duration leaseDuration, JobPriority minPriority) {
        return claim(workerId, max, leaseDuration, minPriority, ClaimOrder.PRIORITY);
    }

    @Override
    public List<Lease> claim(String workerId, int max, Duration leaseDuration, JobPriority minPriority,
            ClaimOrder order) {
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(minPriority, "minPriority");
        Objects.requireNonNull(order, "order");
        requirePositive(leaseDuration);
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, was " + max);
        }
        long now = clock.millis();
        long expires = now + leaseDuration.toMillis();
        List<String> statements = claims.forOrder(order);
        HandleCallback<List<Lease>, RuntimeException> claim = h -> {
            for (String sql : statements.subList(0, statements.size() - 1)) {
                h.createUpdate(sql).bind("now", now).bind("minPriority", minPriority.value()).bind("max", max).execute();
            }
            List<JobRow> rows = new ArrayList<>(h.createQuery(statements.get(statements.size() - 1))
                    .bind("worker", workerId).bind("expires", expires).bind("now", now)
                    .bind("minPriority", minPriority.value()).bind("max", max)
                    .map(JobRow::map).list());
            // RETURNING gives no order guarantee
            Comparator<JobRow> byId = Comparator.comparingLong(JobRow::id);
            rows.sort(order == ClaimOrder.AGE ? byId
                    : Comparator.comparingInt(JobRow::priority).reversed().thenComparing(byId));
            List<Long> retried = rows.stream().filter(r -> r.attempts() > 1).map(JobRow::id).toList();
            Map<Long, List<JobError>> errors = retried.isEmpty() ? Map.of() : errors(h, retried);
            List<Lease> leases = new ArrayList<>(rows.size());
            for (JobRow r : rows) {
                leases.add(new Lease(r.toJob(errors.getOrDefault(r.id(), List.of())), workerId, r.fencingToken(),
                        r.leaseExpiresAt()));
            }
            return leases;
        };
        // one statement is atomic on its own: no transaction round trips
        return statements.size() == 1 ? Sql.call(jdbi, "claim jobs", claim) : Sql.inTransaction(jdbi, "claim jobs", claim);
    }

    @Override
    public boolean heartbeat(String jobId, long fencingToken, Duration leaseDuration) {
        requirePositive(leaseDuration);
        long now = clock.millis();
        return update("extend lease", """
                UPDATE jobs SET lease_expires_at = :expires, updated_at = :now
                WHERE id = :id AND fencing_token = :token AND """ + CURRENT_LEASE,
                jobId, fencingToken, Map.of("expires", now + leaseDuration.toMillis(), "now", now));
    }

    @Override
    public boolean complete(String jobId, long fencingToken) {
        return update("complete job", """
                UPDATE jobs SET state = 'SUCCEEDED', lease_owner = NULL, lease_expires_at = NULL, updated_at = :now
                WHERE id = :id AND fencing_token = :token AND """ + CURRENT_LEASE,
                jobId, fencingToken, Map.of("now", clock.millis()));
    }

    /**
     * One transaction whose first statement extends the lease ({@code UPDATE jobs … WHERE id AND
     * fencing_token AND <current lease>}); zero rows and nothing else runs. Otherwise {@code work}
     * runs in the same transaction: the stores of this backend (same {@link Jdbi}) reuse this
     * thread's handle, so their writes commit with the lease or not at all, and the job's row stays
     * locked (PostgreSQL) or the database's write lock held (SQLite) until the commit, so no claim
     * or cancel comes between.
     */
    @Override
    public boolean heartbeat(String jobId, long fencingToken, Duration leaseDuration, Runnable work) {
        requirePositive(leaseDuration);
        Objects.requireNonNull(work, "work");
        long now = clock.millis();
        return fenced("save checkpoint", """
                UPDATE jobs SET lease_expires_at = :expires, updated_at = :now
                WHERE id = :id AND fencing_token = :token AND """ + CURRENT_LEASE,
                jobId, fencingToken, Map.of("expires", now + leaseDuration.toMillis(), "now", now), work);
    }

    /**
     * The job's completion and {@code work} in one transaction, the completion's
     * {@code UPDATE jobs SET state = 'SUCCEEDED' … WHERE id AND fencing_token AND <current lease>}
     * first: zero rows and {@code work} never runs. The stores of this backend join the transaction
     * (see {@link #heartbeat(String, long, Duration, Runnable)}), so a report, a quota settlement and
     * the completion commit together; a {@code work} that throws rolls all of them back. A cancel
     * waits for the row and then finds the job succeeded.
     */
    @Override
    public boolean complete(String jobId, long fencingToken, Duration leaseDuration, Runnable work) {
        Objects.requireNonNull(work, "work");
        return fenced("complete job", """
                UPDATE jobs SET state = 'SUCCEEDED', lease_owner = NULL, lease_expires_at = NULL, updated_at = :now
                WHERE id = :id AND fencing_token = :token AND """ + CURRENT_LEASE,
                jobId, fencingToken, Map.of("now", clock.millis()), work);
    }

    private boolean fenced(String what, String fence, String jobId, long token, Map<String, Object> binds,
            Runnable work) {
        Long id = parseId(jobId);
        if (id == null) {
            return false;
        }
        try {
            return jdbi.inTransaction(h -> {
                if (h.createUpdate(fence).bind("id", id).bind("token", token).bindMap(binds).execute() != 1) {
                    return false; // stale: the transaction ends having changed nothing
                }
                work.run();
                return true;
            });
        } catch (JdbiException e) {
            throw Sql.failure(what, e);
        }
    }

    /**
     * Completes up to {@value #COMPLETE_LEASES_PER_STATEMENT} leases per statement:
     * {@code UPDATE jobs … WHERE id IN (…) AND (id, fencing_token) IN (VALUES …) AND <current lease>}.
     * The id list lets the database use the primary key; the pairs check the tokens.
     */
    @Override
    public Set<String> completeAll(Collection<Lease> leases) {
        Map<Long, Long> tokens = new LinkedHashMap<>();
        for (Lease lease : leases) {
            Long id = parseId(lease.jobId());
            if (id != null) {
                tokens.putIfAbsent(id, lease.fencingToken());
            }
        }
        if (tokens.isEmpty()) {
            return Set.of();
        }
        long now = clock.millis();
        List<Map.Entry<Long, Long>> pairs = new ArrayList<>(tokens.entrySet());
        Set<String> completed = new LinkedHashSet<>();
        Sql.inTransaction(jdbi, "complete jobs", h -> {
            for (int from = 0; from < pairs.size(); from += COMPLETE_LEASES_PER_STATEMENT) {
                List<Map.Entry<Long, Long>> slice = pairs.subList(from, Math.min(pairs.size(), from + COMPLETE_LEASES_PER_STATEMENT));
                StringBuilder values = new StringBuilder();
                for (int i = 0; i < slice.size(); i++) {
                    values.append(i == 0 ? "" : ", ").append("(:id").append(i).append(", :token").append(i).append(')');
                }
                var update = h.createQuery("UPDATE jobs SET state = 'SUCCEEDED', lease_owner = NULL,"
                        + " lease_expires_at = NULL, updated_at = :now WHERE id IN (<ids>)"
                        + " AND (id, fencing_token) IN (VALUES " + values + ") AND " + CURRENT_LEASE + " RETURNING id")
                        .bind("now", now).bindList("ids", slice.stream().map(Map.Entry::getKey).toList());
                for (int i = 0; i < slice.size(); i++) {
                    update.bind("id" + i, slice.get(i).getKey()).bind("token" + i, slice.get(i).getValue());
                }
                update.mapTo(Long.class).forEach(id -> completed.add(Long.toString(id)));
            }
            return null;
        });
        return completed;
    }

    @Override
    public boolean fail(String jobId, long fencingToken, String error, Instant retryAt) {
        Long id = parseId(jobId);
        if (id == null) {
            return false;
        }
        long now = clock.millis();
        String sql = retryAt == null
                ? """
                  UPDATE jobs SET state = 'DEAD_LETTERED', dead_lettered_at = :now, lease_owner = NULL,
                      lease_expires_at = NULL, updated_at = :now
                  WHERE id = :id AND fencing_token = :token AND """ + CURRENT_LEASE + " RETURNING attempts, priority"
                : """
                  UPDATE jobs SET state = 'QUEUED', run_at = :runAt, lease_owner = NULL, lease_expires_at = NULL,
                      updated_at = :now
                  WHERE id = :id AND fencing_token = :token AND """ + CURRENT_LEASE + " RETURNING attempts, priority";
        Optional<JobPriority> changed = Sql.inTransaction(jdbi, "fail job", h -> {
            Optional<int[]> row = h.createQuery(sql).bind("id", id).bind("token", fencingToken).bind("now", now)
                    .bind("runAt", retryAt == null ? now : Sql.millis(retryAt))
                    .map((rs, ctx) -> new int[] {rs.getInt("attempts"), rs.getInt("priority")}).findOne();
            if (row.isEmpty()) {
                return Optional.empty();
            }
            h.createUpdate("INSERT INTO job_errors (job_id, attempt, at, message) VALUES (:id, :attempt, :now, :message)")
                    .bind("id", id).bind("attempt", row.get()[0]).bind("now", now)
                    .bind("message", error == null ? "" : error).execute();
            JobPriority priority = JobPriority.ofValue(row.get()[1]);
            if (retryAt != null) {
                notifyOthers(h, priority);
            }
            return Optional.of(priority);
        });
        if (changed.isPresent() && retryAt != null) {
            signal.signal(changed.get());
        }
        return changed.isPresent();
    }

    @Override
    public boolean release(String jobId, long fencingToken) {
        // attempts - 1: a graceful give-back does not count as an attempt
        return updateAndNotify("release job", """
                UPDATE jobs SET state = 'QUEUED', attempts = attempts - 1, lease_owner = NULL, lease_expires_at = NULL,
                    updated_at = :now
                WHERE id = :id AND fencing_token = :token AND """ + CURRENT_LEASE, jobId, Map.of("token", fencingToken));
    }

    @Override
    public boolean cancel(String jobId) {
        Long id = parseId(jobId);
        return id != null && Sql.call(jdbi, "cancel job", h -> h.createUpdate("""
                UPDATE jobs SET state = 'CANCELLED', lease_owner = NULL, lease_expires_at = NULL, updated_at = :now
                WHERE id = :id AND state IN ('QUEUED', 'RUNNING')""")
                .bind("id", id).bind("now", clock.millis()).execute()) == 1;
    }

    @Override
    public Optional<Job> find(String jobId) {
        Long id = parseId(jobId);
        if (id == null) {
            return Optional.empty();
        }
        long now = clock.millis();
        return Sql.call(jdbi, "find job", h -> h.createQuery("SELECT * FROM jobs WHERE id = :id").bind("id", id)
                .map(JobRow::map).findOne()
                .map(r -> r.toJob(errors(h, List.of(r.id())).getOrDefault(r.id(), List.of()), now)));
    }

    @Override
    public List<Job> deadLetters(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
        return Sql.call(jdbi, "list dead letters", h -> {
            List<JobRow> rows = h.createQuery(
                    "SELECT * FROM jobs WHERE state = 'DEAD_LETTERED' ORDER BY dead_lettered_at, id LIMIT :limit")
                    .bind("limit", limit).map(JobRow::map).list();
            Map<Long, List<JobError>> errors = errors(h, rows.stream().map(JobRow::id).toList());
            return rows.stream().map(r -> r.toJob(errors.getOrDefault(r.id(), List.of()))).toList();
        });
    }

    /** Reads {@code jobs_dead_letters_owner} (V5): only the owner's rows, in dead-letter order. */
    @Override
    public List<Job> deadLetters(String owner, int limit) {
        Objects.requireNonNull(owner, "owner");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
        return Sql.call(jdbi, "list dead letters", h -> {
            List<JobRow> rows = h.createQuery("""
                    SELECT * FROM jobs WHERE state = 'DEAD_LETTERED' AND owner_id = :owner
                    ORDER BY dead_lettered_at, id LIMIT :limit""")
                    .bind("owner", owner).bind("limit", limit).map(JobRow::map).list();
            Map<Long, List<JobError>> errors = errors(h, rows.stream().map(JobRow::id).toList());
            return rows.stream().map(r -> r.toJob(errors.getOrDefault(r.id(), List.of()))).toList();
        });
    }

    @Override
    public boolean redrive(String jobId) {
        return updateAndNotify("re-drive job", """
                UPDATE jobs SET state = 'QUEUED', attempts = 0, run_at = :now, dead_lettered_at = NULL, updated_at = :now
                WHERE id = :id AND state = 'DEAD_LETTERED'""", jobId, Map.of());
    }

    @Override
    public int redriveAll() {
        return redriveWhere("state = 'DEAD_LETTERED'", Map.of());
    }

    /** Re-drives the owner's dead letters in one statement, found through {@code jobs_dead_letters_owner}. */
    @Override
    public int redriveAll(String owner) {
        Objects.requireNonNull(owner, "owner");
        return redriveWhere("state = 'DEAD_LETTERED' AND owner_id = :owner", Map.of("owner", owner));
    }

    private int redriveWhere(String condition, Map<String, Object> binds) {
        long now = clock.millis();
        JobPriority[] top = {JobPriority.LOW};
        int moved = Sql.inTransaction(jdbi, "re-drive dead letters", h -> {
            List<Integer> priorities = h.createQuery("""
                    UPDATE jobs SET state = 'QUEUED', attempts = 0, run_at = :now, dead_lettered_at = NULL,
                        updated_at = :now
                    WHERE\s""" + condition + " RETURNING priority").bind("now", now).bindMap(binds)
                    .mapTo(Integer.class).list();
            if (!priorities.isEmpty()) {
                top[0] = JobPriority.ofValue(priorities.stream().max(Integer::compare).orElseThrow());
                notifyOthers(h, top[0]);
            }
            return priorities.size();
        });
        if (moved > 0) {
            signal.signal(top[0]);
        }
        return moved;
    }

    @Override
    public QueueStats stats() {
        long now = clock.millis();
        return Sql.call(jdbi, "read queue stats", h -> {
            Map<JobPriority, Long> queued = new EnumMap<>(JobPriority.class);
            long[] running = {0};
            long[] dead = {0};
            // a running job whose lease lapsed is waiting again
            h.createQuery("""
                    SELECT visible_state, priority, COUNT(*) AS n FROM (
                        SELECT CASE WHEN state = 'RUNNING' AND lease_expires_at <= :now THEN 'QUEUED' ELSE state END
                            AS visible_state, priority
                        FROM jobs WHERE state IN ('QUEUED', 'RUNNING', 'DEAD_LETTERED')) v
                    GROUP BY visible_state, priority""")
                    .bind("now", now)
                    .map((rs, ctx) -> {
                        long n = rs.getLong("n");
                        switch (JobState.valueOf(rs.getString("visible_state"))) {
                            case QUEUED -> queued.merge(JobPriority.ofValue(rs.getInt("priority")), n, Long::sum);
                            case RUNNING -> running[0] += n;
                            default -> dead[0] += n;
                        }
                        return n;
                    }).list();
            return new QueueStats(queued, running[0], dead[0]);
        });
    }

    /**
     * Deletes in transactions of up to {@value #PURGE_ROWS_PER_TRANSACTION} jobs until a batch comes
     * back short: succeeded and cancelled jobs by {@code updated_at} (the time they reached that
     * state, through the {@code jobs_finished} index), then dead letters by {@code dead_lettered_at}
     * (through {@code jobs_dead_letters}). Each batch also deletes the jobs' {@code job_errors} rows
     * (explicitly: a host's own SQLite data source may not enforce foreign keys, so the cascade may
     * not fire) and their {@code job_checkpoints} row, which nothing could resume any more.
     */
    @Override
    public int purgeFinished(Instant finishedBefore, boolean includeDeadLetters) {
        Objects.requireNonNull(finishedBefore, "finishedBefore");
        long cutoff = Sql.millis(finishedBefore);
        long purged = purge("state IN ('SUCCEEDED', 'CANCELLED') AND updated_at < :cutoff", cutoff);
        if (includeDeadLetters) {
            purged += purge("state = 'DEAD_LETTERED' AND dead_lettered_at < :cutoff", cutoff);
        }
        return (int) Math.min(Integer.MAX_VALUE, purged);
    }

    private long purge(String condition, long cutoff) {
        // SKIP LOCKED (PostgreSQL): two nodes purging at once split the rows instead of waiting on each other
        String pick = "SELECT id FROM jobs WHERE " + condition + " LIMIT :batch" + customization.claimLockClause();
        // the condition again: a row that changed since the pick (possible only without the lock) stays
        String delete = "DELETE FROM jobs WHERE id IN (<ids>) AND " + condition + " RETURNING id";
        long purged = 0;
        int picked;
        do {
            int[] counts = Sql.inTransaction(jdbi, "purge finished jobs", h -> {
                List<Long> ids = h.createQuery(pick).bind("cutoff", cutoff).bind("batch", PURGE_ROWS_PER_TRANSACTION)
                        .mapTo(Long.class).list();
                if (ids.isEmpty()) {
                    return new int[] {0, 0};
                }
                List<Long> deleted = h.createQuery(delete).bindList("ids", ids).bind("cutoff", cutoff)
                        .mapTo(Long.class).list();
                if (!deleted.isEmpty()) {
                    h.createUpdate("DELETE FROM job_errors WHERE job_id IN (<ids>)").bindList("ids", deleted).execute();
                    h.createUpdate("DELETE FROM job_checkpoints WHERE job_id IN (<ids>)")
                            .bindList("ids", deleted.stream().map(id -> Long.toString(id)).toList()).execute();
                }
                return new int[] {ids.size(), deleted.size()};
            });
            picked = counts[0];
            purged += counts[1];
        } while (picked == PURGE_ROWS_PER_TRANSACTION);
        return purged;
    }

    @Override
    public void awaitWork(Duration timeout) throws InterruptedException {
        awaitWork(timeout, JobPriority.LOW);
    }

    @Override
    public void awaitWork(Duration timeout, JobPriority minPriority) throws InterruptedException {
        long seen = signal.generation(minPriority);
        long now = clock.millis();
        // checked after reading the generation: work announced from here on changes it
        Long nextDue = Sql.call(jdbi, "find next due job", h -> h.createQuery("""
                SELECT MIN(CASE WHEN state = 'QUEUED' THEN run_at ELSE lease_expires_at END) FROM jobs
                WHERE state IN ('QUEUED', 'RUNNING') AND priority >= :minPriority""")
                .bind("minPriority", minPriority.value()).mapTo(Long.class).findOne().orElse(null));
        long waitMillis = Math.min(timeout.toMillis(), maxIdleWait.toMillis());
        if (nextDue != null) {
            if (nextDue <= now) {
                return;
            }
            waitMillis = Math.min(waitMillis, nextDue - now);
        }
        signal.awaitChange(minPriority, seen, TimeUnit.MILLISECONDS.toNanos(Math.max(0, waitMillis)));
    }

    @Override
    public void close() {
        if (listener != null) {
            try {
                listener.close();
            } catch (Exception e) {
                log.warn("closing the LISTEN connection failed", e);
            }
        }
    }

    private boolean update(String what, String sql, String jobId, long token, Map<String, Object> binds) {
        Long id = parseId(jobId);
        if (id == null) {
            return false;
        }
        return Sql.call(jdbi, what, h -> h.createUpdate(sql).bind("id", id).bind("token", token)
                .bindMap(binds).execute()) == 1;
    }

    private boolean updateAndNotify(String what, String sql, String jobId, Map<String, Object> binds) {
        Long id = parseId(jobId);
        if (id == null) {
            return false;
        }
        long now = clock.millis();
        Optional<JobPriority> changed = Sql.inTransaction(jdbi, what, h -> {
            Optional<JobPriority> done = h.createQuery(sql + " RETURNING priority").bind("id", id).bind("now", now)
                    .bindMap(binds).mapTo(Integer.class).findOne().map(JobPriority::ofValue);
            done.ifPresent(p -> notifyOthers(h, p));
            return done;
        });
        changed.ifPresent(signal::signal);
        return changed.isPresent();
    }

    /**
     * Sends {@code NOTIFY} on the channel with the work's priority as payload; PostgreSQL delivers it
     * when the transaction commits.
     */
    private void notifyOthers(Handle h, JobPriority priority) {
        if (customization.notifiesAcrossProcesses()) {
            h.createQuery("SELECT pg_notify(:channel, :priority)").bind("channel", channel)
                    .bind("priority", Integer.toString(priority.value())).mapTo(String.class).list();
        }
    }

    /** The priority a notification announces; anything else (a reconnect, an older node) wakes every waiter. */
    private static JobPriority announced(String payload) {
        try {
            return JobPriority.ofValue(Integer.parseInt(payload));
        } catch (RuntimeException e) {
            return JobPriority.CRITICAL;
        }
    }

    private static void requirePositive(Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("leaseDuration must be positive, was " + d);
        }
    }

    private static Map<Long, List<JobError>> errors(Handle h, Collection<Long> jobIds) {
        Map<Long, List<JobError>> byJob = new HashMap<>();
        if (jobIds.isEmpty()) {
            return byJob;
        }
        h.createQuery("SELECT job_id, attempt, at, message FROM job_errors WHERE job_id IN (<ids>) ORDER BY id")
                .bindList("ids", new ArrayList<>(jobIds))
                .map((rs, ctx) -> Map.entry(rs.getLong("job_id"),
                        new JobError(rs.getInt("attempt"), Sql.instant(rs, "at"), rs.getString("message"))))
                .forEach(e -> byJob.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return byJob;
    }

    private static Long parseId(String jobId) {
        try {
            return Long.valueOf(jobId);
        } catch (NumberFormatException e) {
            return null; // ids are ours and numeric; anything else names no job
        }
    }
}
