package dev.aar.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aar.queue.JobPriority;
import dev.aar.queue.JobQueue;
import dev.aar.queue.JobRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An idle {@code awaitWork} wakes up for new work without polling: the backends here re-read the
 * table only every ten minutes, so a prompt return can only come from a wake-up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdbcJobQueueWakeUpTest {

    static final Duration NEVER = Duration.ofMinutes(10);

    TestDatabase sqlite;
    TestDatabase postgres;

    @BeforeAll
    void createDatabases() {
        sqlite = TestDatabase.sqlite();
    }

    @AfterAll
    void dropDatabases() throws Exception {
        sqlite.close();
        if (postgres != null) {
            postgres.close();
        }
    }

    /** One PostgreSQL schema for the class, created by the first test that needs it. */
    TestDatabase postgres() {
        if (postgres == null) {
            postgres = TestDatabase.postgres();
        }
        return postgres;
    }

    /** Opens a backend on an emptied database, so that no earlier test's job is claimable. */
    static JdbcBackend open(TestDatabase db) {
        JdbcBackend backend = JdbcBackend.builder().jdbcUrl(db.url()).maxIdleWait(NEVER).build();
        db.clean();
        return backend;
    }

    @Test
    void postgresWakesAWaiterWhenAnotherConnectionEnqueues() throws Exception {
        TestDatabase postgres = postgres();
        try (JdbcBackend waiterNode = open(postgres); JdbcBackend producerNode = open(postgres)) {
            assertWakesUp(waiterNode.jobQueue(), () -> producerNode.jobQueue()
                    .enqueue(JobRequest.of("analysis", "{}", JobPriority.NORMAL)));
        }
    }

    @Test
    void postgresListenerReconnectsAfterItsConnectionIsKilled() throws Exception {
        TestDatabase postgres = postgres();
        try (JdbcBackend waiterNode = open(postgres); JdbcBackend producerNode = open(postgres)) {
            String channel = "aar_jobs_" + postgres.url().substring(postgres.url().indexOf("currentSchema=") + 14);
            // each node starts listening on its own thread: wait until both are, then kill both
            await().atMost(Duration.ofSeconds(30)).until(() -> listeners(channel, false) == 2);
            int killed = listeners(channel, true);
            assertThat(killed).isEqualTo(2);
            // both nodes' listeners come back on new connections
            await().atMost(Duration.ofSeconds(30)).until(() -> listeners(channel, false) == 2);

            assertWakesUp(waiterNode.jobQueue(), () -> producerNode.jobQueue()
                    .enqueue(JobRequest.of("analysis", "{}", JobPriority.NORMAL)));
        }
    }

    /** Counts (or terminates) the server processes listening on {@code channel}. */
    private static int listeners(String channel, boolean terminate) throws SQLException {
        String select = terminate ? "pg_terminate_backend(pid)" : "pid";
        try (Connection c = DriverManager.getConnection(TestDatabase.POSTGRES_BASE_URL);
                PreparedStatement s = c.prepareStatement("SELECT " + select
                        + " FROM pg_stat_activity WHERE query = ? AND pid <> pg_backend_pid()")) {
            s.setString(1, "LISTEN \"" + channel + "\"");
            int n = 0;
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    n++;
                }
            }
            return n;
        }
    }

    @Test
    void sqliteWakesAWaiterInTheSameProcess() throws Exception {
        try (JdbcBackend backend = open(sqlite)) {
            assertWakesUp(backend.jobQueue(), () -> backend.jobQueue()
                    .enqueue(JobRequest.of("analysis", "{}", JobPriority.NORMAL)));
        }
    }

    @Test
    void aWaiterWakesWhenTheEarliestRunAtComes() throws Exception {
        try (JdbcBackend backend = open(sqlite)) {
            backend.jobQueue().enqueue(JobRequest.of("analysis", "{}", JobPriority.NORMAL)
                    .withRunAt(Instant.now().plusMillis(300)));

            CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> idle(backend.jobQueue()));

            waiting.get(NEVER.toMinutes() / 2, java.util.concurrent.TimeUnit.MINUTES);
            assertThat(backend.jobQueue().claim("w", 1, Duration.ofMinutes(1), JobPriority.LOW)).hasSize(1);
        }
    }

    private static void assertWakesUp(JobQueue waiter, Runnable producer) throws Exception {
        AtomicReference<Thread> thread = new AtomicReference<>();
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
            thread.set(Thread.currentThread());
            idle(waiter);
        });
        // the waiter is parked on its wake-up signal, past its look at the table
        await().atMost(Duration.ofSeconds(30)).until(() -> thread.get() != null
                && thread.get().getState() == Thread.State.TIMED_WAITING);

        producer.run();

        await().atMost(Duration.ofSeconds(30)).until(waiting::isDone);
        assertThat(waiting).isCompleted();
    }

    private static void idle(JobQueue queue) {
        try {
            queue.awaitWork(NEVER);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
