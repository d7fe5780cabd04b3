package dev.aar.jdbc;

import dev.aar.queue.JobPriority;
import dev.aar.queue.JobQueue;
import dev.aar.queue.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * A worker node run as its own JVM by {@link MultiNodeQueueTest}: it claims batches, applies each
 * job's effect, completes the batch with one {@code completeAll}, and fails the jobs whose payload
 * says so (retried twice, then dead-lettered). It runs until it is killed.
 *
 * <p>The effect is written the way a handler whose results live in the same database gets
 * exactly-once effects: in one transaction it locks the job's row <em>if its own lease is still the
 * current one</em> (the fencing token check at the resource), then inserts the effect unless the
 * job already has one (an earlier attempt that died between its effect and its completion).
 */
public final class QueueWorkerNode {

    static final Duration LEASE = Duration.ofSeconds(3);
    static final int MAX_ATTEMPTS = 3;
    static final Duration WORK_PER_JOB = Duration.ofMillis(5);

    private QueueWorkerNode() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String node = args[1];
        try (JdbcBackend backend = JdbcBackend.builder().jdbcUrl(url).poolSize(3).migrate(false).build()) {
            JobQueue queue = backend.jobQueue();
            Jdbi jdbi = Jdbi.create(url);
            System.out.println("ready " + node);
            while (true) {
                List<Lease> leases = queue.claim(node, 5, LEASE, JobPriority.LOW);
                if (leases.isEmpty()) {
                    queue.awaitWork(Duration.ofSeconds(1));
                    continue;
                }
                List<Lease> done = new ArrayList<>();
                for (Lease lease : leases) {
                    Thread.sleep(WORK_PER_JOB.toMillis());
                    if (lease.job().payload().contains("\"fail\":true")) {
                        boolean retry = lease.job().attempts() < MAX_ATTEMPTS;
                        queue.fail(lease.jobId(), lease.fencingToken(), "always fails",
                                retry ? Instant.now() : null);
                    } else if (applyEffect(jdbi, lease, node)) {
                        done.add(lease);
                    }
                }
                queue.completeAll(done);
            }
        }
    }

    /** Writes the job's effect under its current lease; false if the lease is no longer current. */
    static boolean applyEffect(Jdbi jdbi, Lease lease, String node) {
        long id = Long.parseLong(lease.jobId());
        return jdbi.inTransaction(h -> {
            boolean current = h.createQuery("""
                    SELECT id FROM jobs WHERE id = :id AND fencing_token = :token AND state = 'RUNNING'
                        AND lease_expires_at > :now FOR UPDATE""")
                    .bind("id", id).bind("token", lease.fencingToken()).bind("now", System.currentTimeMillis())
                    .mapTo(Long.class).findOne().isPresent();
            if (!current) {
                return false;
            }
            h.createUpdate("""
                    INSERT INTO effects (job_id, token, node) SELECT :id, :token, :node
                    WHERE NOT EXISTS (SELECT 1 FROM effects WHERE job_id = :id)""")
                    .bind("id", id).bind("token", lease.fencingToken()).bind("node", node).execute();
            return true;
        });
    }
}
