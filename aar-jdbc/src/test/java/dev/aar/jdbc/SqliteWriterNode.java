package dev.aar.jdbc;

import dev.aar.queue.Checkpoint;
import dev.aar.queue.JobPriority;
import dev.aar.queue.JobQueue;
import dev.aar.queue.JobRequest;
import dev.aar.queue.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A process run by {@link SqliteKillTest}: it writes to a SQLite quick-start store as fast as it
 * can and prints an acknowledgement line after each write call returns, until it is killed.
 */
public final class SqliteWriterNode {

    private SqliteWriterNode() {
    }

    public static void main(String[] args) {
        try (JdbcBackend backend = JdbcBackend.create(args[0])) {
            JobQueue queue = backend.jobQueue();
            for (int i = 0; ; i++) {
                String id = queue.enqueue(JobRequest.of("t", "{\"n\":" + i + "}", JobPriority.NORMAL)).id();
                ack("enqueued " + id);
                List<Lease> leases = queue.claim("writer", 1, Duration.ofMinutes(5), JobPriority.LOW);
                Lease lease = leases.get(0);
                backend.checkpointStore().save(new Checkpoint(lease.jobId(), "p", "Indexing", "f" + i, i, i + 1, "{}",
                        Instant.now(), Instant.now()));
                ack("checkpointed " + lease.jobId());
                if (queue.complete(lease.jobId(), lease.fencingToken())) {
                    ack("completed " + lease.jobId());
                }
            }
        }
    }

    private static void ack(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
