package dev.aar.jdbc.internal;

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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link JobQueue} in the {@code jobs} and {@code job_errors} tables.
 *
 * <p>A claim is one statement: {@code UPDATE jobs … WHERE id IN (SELECT … ORDER BY priority DESC, id
 * LIMIT n FOR UPDATE SKIP LOCKED) RETURNING *} on PostgreSQL (concurrent claimers skip each other's
 * rows instead of waiting), the same without the lock clause on SQLite (which runs one writer at a
 * time). Every acting call matches {@code fencing_token} and {@code state = 'RUNNING'}, so a stale
 * lease changes nothing. All timestamps come from the injected {@link Clock}, never from the database.
 */
public final class JdbcJobQueue implements JobQueue {

    private static final Logger log = LoggerFactory.getLogger(JdbcJobQueue.class);
    private static final String CLAIMABLE = "((state = 'QUEUED' AND run_at <= :now)"
            + " OR (state = 'RUNNING' AND lease_expires_at <= :now))";

    /** Requests per INSERT statement: 500 rows of 6 parameters stay far below every driver's limit. */
    static final int ENQUEUE_ROWS_PER_STATEMENT = 500;

    private final Jdbi jdbi;
    private final Customization customization;
    private final Clock clock;
    private final String channel;
    private final Duration maxIdleWait;
    private final WorkSignal signal = new WorkSignal();
    private final AutoCloseable listener;
    private final String claimSql;

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
        this.claimSql = "UPDATE jobs SET state = 'RUNNING', attempts = attempts + 1, fencing_token = fencing_token + 1,"
                + " lease_owner = :worker, lease_expires_at = :expires, updated_at = :now"
                + " WHERE id IN (SELECT id FROM jobs WHERE state IN ('QUEUED', 'RUNNING') AND priority >= :minPriority"
                + " AND " + CLAIMABLE + " ORDER BY priority DESC, id LIMIT :max" + customization.claimLockClause() + ")"
                + " RETURNING *";
        this.listener = customization.startWorkListener(dataSource, channel, Duration.ofSeconds(1),
                c -> signal.signal());
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
        List<Job> jobs = Sql.inTransaction(jdbi, "enqueue", h -> {
            List<Job> result = new ArrayList<>(requests.size());
            boolean added = false;
            for (int from = 0; from < requests.size(); from += ENQUEUE_ROWS_PER_STATEMENT) {
                List<JobRequest> slice = requests.subList(from, Math.min(requests.size(), from + ENQUEUE_ROWS_PER_STATEMENT));
                added |= insert(h, slice, now, result);
            }
            if (added) {
                notifyOthers(h);
            }
            return result;
        });
        signal.signal();
        return jobs;
    }

    /**
     * Inserts {@code slice} with one multi-row statement; a request whose idempotency key is taken
     * (before, or earlier in the same statement) gets the existing job. Appends in request order.
     */
    private static boolean insert(Handle h, List<JobRequest> slice, long now, List<Job> result) {
        StringBuilder sql = new StringBuilder("INSERT INTO jobs (type, payload, priority, state, attempts, fencing_token,"
                + " run_at, idempotency_key, created_at, updated_at) VALUES ");
        for (int i = 0; i < slice.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:type").append(i).append(", :payload").append(i)
                    .append(", :priority").append(i).append(", 'QUEUED', 0, 0, :runAt").append(i)
                    .append(", :key").append(i).append(", :now, :now)");
        }
        sql.append(" ON CONFLICT (idempotency_key) DO NOTHING RETURNING *");
        var query = h.createQuery(sql.toString()).bind("now", now);
        for (int i = 0; i < slice.size(); i++) {
            JobRequest r = slice.get(i);
            query.bind("type" + i, r.type()).bind("payload" + i, r.payload()).bind("priority" + i, r.priority().value())
                    .bind("runAt" + i, r.runAt() == null ? now : Sql.millis(r.runAt())).bind("key" + i, r.idempotencyKey());
        }
        // identity values follow the VALUES order; RETURNING's own order is not guaranteed
        List<JobRow> inserted = new ArrayList<>(query.map(JobRow::map).list());
        inserted.sort(Comparator.comparingLong(JobRow::id));
        Map<String, JobRow> byKey = new HashMap<>();
        inserted.stream().filter(r -> r.idempotencyKey() != null).forEach(r -> byKey.put(r.idempotencyKey(), r));
        Iterator<JobRow> unkeyed = inserted.stream().filter(r -> r.idempotencyKey() == null).iterator();
        Set<String> claimedKeys = new HashSet<>();
        for (JobRequest r : slice) {
            String key = r.idempotencyKey();
            JobRow row;
            if (key == null) {
                row = unkeyed.next();
            } else if (byKey.containsKey(key) && claimedKeys.add(key)) {
                row = byKey.get(key);
            } else {
                JobRow existing = byKey.containsKey(key) ? byKey.get(key)
                        : h.createQuery("SELECT * FROM jobs WHERE idempotency_key = :key").bind("key", key)
                                .map(JobRow::map).one();
                result.add(existing.toJob(errors(h, List.of(existing.id())).getOrDefault(existing.id(), List.of())));
                continue;
            }
            result.add(row.toJob(List.of()));
        }
        return !inserted.isEmpty();
    }

    @Override
    public List<Lease> claim(String workerId, int max, Duration leaseDuration, JobPriority minPriority) {
        Objects.requireNonNull(workerId, "workerId");
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, was " + max);
        }
        long now = clock.millis();
        long expires = now + leaseDuration.toMillis();
        // the claim is a single statement, atomic on its own: no transaction round trips
        return Sql.call(jdbi, "claim jobs", h -> {
            List<JobRow> rows = new ArrayList<>(h.createQuery(claimSql)
                    .bind("worker", workerId).bind("expires", expires).bind("now", now)
                    .bind("minPriority", minPriority.value()).bind("max", max)
                    .map(JobRow::map).list());
            // RETURNING gives no order guarantee
            rows.sort(Comparator.comparingInt(JobRow::priority).reversed().thenComparingLong(JobRow::id));
            List<Long> retried = rows.stream().filter(r -> r.attempts() > 1).map(JobRow::id).toList();
            Map<Long, List<JobError>> errors = retried.isEmpty() ? Map.of() : errors(h, retried);
            List<Lease> leases = new ArrayList<>(rows.size());
            for (JobRow r : rows) {
                leases.add(new Lease(r.toJob(errors.getOrDefault(r.id(), List.of())), workerId, r.fencingToken(),
                        r.leaseExpiresAt()));
            }
            return leases;
        });
    }

    @Override
    public boolean heartbeat(String jobId, long fencingToken, Duration leaseDuration) {
        long now = clock.millis();
        return update("extend lease", """
                UPDATE jobs SET lease_expires_at = :expires, updated_at = :now
                WHERE id = :id AND fencing_token = :token AND state = 'RUNNING'""",
                jobId, fencingToken, Map.of("expires", now + leaseDuration.toMillis(), "now", now));
    }

    @Override
    public boolean complete(String jobId, long fencingToken) {
        return update("complete job", """
                UPDATE jobs SET state = 'SUCCEEDED', lease_owner = NULL, lease_expires_at = NULL, updated_at = :now
                WHERE id = :id AND fencing_token = :token AND state = 'RUNNING'""",
                jobId, fencingToken, Map.of("now", clock.millis()));
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
                  WHERE id = :id AND fencing_token = :token AND state = 'RUNNING' RETURNING attempts"""
                : """
                  UPDATE jobs SET state = 'QUEUED', run_at = :runAt, lease_owner = NULL, lease_expires_at = NULL,
                      updated_at = :now
                  WHERE id = :id AND fencing_token = :token AND state = 'RUNNING' RETURNING attempts""";
        boolean changed = Sql.inTransaction(jdbi, "fail job", h -> {
            Optional<Integer> attempt = h.createQuery(sql).bind("id", id).bind("token", fencingToken).bind("now", now)
                    .bind("runAt", retryAt == null ? now : Sql.millis(retryAt)).mapTo(Integer.class).findOne();
            if (attempt.isEmpty()) {
                return false;
            }
            h.createUpdate("INSERT INTO job_errors (job_id, attempt, at, message) VALUES (:id, :attempt, :now, :message)")
                    .bind("id", id).bind("attempt", attempt.get()).bind("now", now)
                    .bind("message", error == null ? "" : error).execute();
            if (retryAt != null) {
                notifyOthers(h);
            }
            return true;
        });
        if (changed && retryAt != null) {
            signal.signal();
        }
        return changed;
    }

    @Override
    public boolean release(String jobId, long fencingToken) {
        // attempts - 1: a graceful give-back does not count as an attempt
        return updateAndNotify("release job", """
                UPDATE jobs SET state = 'QUEUED', attempts = attempts - 1, lease_owner = NULL, lease_expires_at = NULL,
                    updated_at = :now
                WHERE id = :id AND fencing_token = :token AND state = 'RUNNING'""", jobId, Map.of("token", fencingToken));
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
        return Sql.call(jdbi, "find job", h -> h.createQuery("SELECT * FROM jobs WHERE id = :id").bind("id", id)
                .map(JobRow::map).findOne()
                .map(r -> r.toJob(errors(h, List.of(r.id())).getOrDefault(r.id(), List.of()))));
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

    @Override
    public boolean redrive(String jobId) {
        return updateAndNotify("re-drive job", """
                UPDATE jobs SET state = 'QUEUED', attempts = 0, run_at = :now, dead_lettered_at = NULL, updated_at = :now
                WHERE id = :id AND state = 'DEAD_LETTERED'""", jobId, Map.of());
    }

    @Override
    public int redriveAll() {
        long now = clock.millis();
        int moved = Sql.inTransaction(jdbi, "re-drive dead letters", h -> {
            int n = h.createUpdate("""
                    UPDATE jobs SET state = 'QUEUED', attempts = 0, run_at = :now, dead_lettered_at = NULL,
                        updated_at = :now
                    WHERE state = 'DEAD_LETTERED'""").bind("now", now).execute();
            if (n > 0) {
                notifyOthers(h);
            }
            return n;
        });
        if (moved > 0) {
            signal.signal();
        }
        return moved;
    }

    @Override
    public QueueStats stats() {
        return Sql.call(jdbi, "read queue stats", h -> {
            Map<JobPriority, Long> queued = new EnumMap<>(JobPriority.class);
            long[] running = {0};
            long[] dead = {0};
            h.createQuery("""
                    SELECT state, priority, COUNT(*) AS n FROM jobs
                    WHERE state IN ('QUEUED', 'RUNNING', 'DEAD_LETTERED') GROUP BY state, priority""")
                    .map((rs, ctx) -> {
                        long n = rs.getLong("n");
                        switch (JobState.valueOf(rs.getString("state"))) {
                            case QUEUED -> queued.merge(JobPriority.ofValue(rs.getInt("priority")), n, Long::sum);
                            case RUNNING -> running[0] += n;
                            default -> dead[0] += n;
                        }
                        return n;
                    }).list();
            return new QueueStats(queued, running[0], dead[0]);
        });
    }

    @Override
    public void awaitWork(Duration timeout) throws InterruptedException {
        long seen = signal.generation();
        long now = clock.millis();
        // checked after reading the generation: work announced from here on changes it
        Long nextDue = Sql.call(jdbi, "find next due job", h -> h.createQuery("""
                SELECT MIN(CASE WHEN state = 'QUEUED' THEN run_at ELSE lease_expires_at END) FROM jobs
                WHERE state IN ('QUEUED', 'RUNNING')""").mapTo(Long.class).findOne().orElse(null));
        long waitMillis = Math.min(timeout.toMillis(), maxIdleWait.toMillis());
        if (nextDue != null) {
            if (nextDue <= now) {
                return;
            }
            waitMillis = Math.min(waitMillis, nextDue - now);
        }
        signal.awaitChange(seen, TimeUnit.MILLISECONDS.toNanos(Math.max(0, waitMillis)));
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
        boolean changed = Sql.inTransaction(jdbi, what, h -> {
            boolean done = h.createUpdate(sql).bind("id", id).bind("now", now).bindMap(binds).execute() == 1;
            if (done) {
                notifyOthers(h);
            }
            return done;
        });
        if (changed) {
            signal.signal();
        }
        return changed;
    }

    /** Sends {@code NOTIFY} on the channel; PostgreSQL delivers it when the transaction commits. */
    private void notifyOthers(Handle h) {
        if (customization.notifiesAcrossProcesses()) {
            h.createQuery("SELECT pg_notify(:channel, '')").bind("channel", channel).mapTo(String.class).list();
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
