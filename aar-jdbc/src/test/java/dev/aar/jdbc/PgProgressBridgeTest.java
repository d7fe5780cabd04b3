package dev.aar.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import dev.aar.core.event.Finding;
import dev.aar.core.event.FindingUpdate;
import dev.aar.core.event.JobCompleted;
import dev.aar.core.event.JobDeadLettered;
import dev.aar.core.event.JobFailed;
import dev.aar.core.event.JobQueued;
import dev.aar.core.event.Phase;
import dev.aar.core.event.ProgressEvent;
import dev.aar.core.event.ProgressUpdate;
import dev.aar.core.event.Severity;
import dev.aar.queue.MutableClock;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Two bridges on one PostgreSQL schema, as two nodes: each sees the other's events and never its own. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgProgressBridgeTest {

    TestDatabase db;

    @BeforeAll
    void createDatabase() {
        db = TestDatabase.postgres();
    }

    @AfterAll
    void dropDatabase() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void eachNodeSeesTheOtherNodesEventsInOrderAndNeverItsOwn() throws Exception {
        List<ProgressEvent> seenByA = new CopyOnWriteArrayList<>();
        List<ProgressEvent> seenByB = new CopyOnWriteArrayList<>();
        try (JdbcBackend nodeA = db.open(Clock.systemUTC()); JdbcBackend nodeB = db.open(Clock.systemUTC());
                PgProgressBridge a = PgProgressBridge.builder(nodeA).nodeId("a").listener(seenByA::add).build();
                PgProgressBridge b = PgProgressBridge.builder(nodeB).nodeId("b").build()) {
            b.subscribe(seenByB::add);
            awaitListeners(2);
            String longEvidence = "x".repeat(20_000) + " ünïcode";
            List<ProgressEvent> fromA = List.of(
                    new JobQueued("p1", "7", "High"),
                    new ProgressUpdate("p1", "7", Phase.INDEXING, 42.5, 85, 200, "indexing src/"),
                    new FindingUpdate("p1", "7", new Finding(Severity.HIGH, "dependency-cycle", "a cycle", "src/A.java",
                            12, longEvidence)),
                    new FindingUpdate("p1", "7", new Finding(Severity.INFO, "note", "project-wide", null, null, null)),
                    new JobFailed("p1", "7", 1, "timeout", Instant.parse("2026-03-01T10:00:30Z")),
                    new JobDeadLettered("p1", "7", 4, "gave up"),
                    new JobCompleted("p1", "7", true, "report-1", null));

            fromA.forEach(a::onEvent);
            b.onEvent(new JobCompleted("p2", "8", false, null, "boom"));

            await().atMost(Duration.ofSeconds(30)).until(() -> seenByB.size() == fromA.size() && seenByA.size() == 1);
            assertThat(seenByB).containsExactlyElementsOf(fromA);
            assertThat(seenByA).containsExactly(new JobCompleted("p2", "8", false, null, "boom"));
            // only the large finding went through the table
            int rows = Jdbi.create(db.url()).withHandle(h -> h.createQuery("SELECT COUNT(*) FROM progress_events")
                    .mapTo(Integer.class).one());
            assertThat(rows).isEqualTo(1);
        }
    }

    @Test
    void largeEventRowsOlderThanTheRetentionAreDeleted() throws Exception {
        MutableClock clock = new MutableClock();
        try (JdbcBackend node = db.open(Clock.systemUTC());
                PgProgressBridge bridge = PgProgressBridge.builder(node).largeEventRetention(Duration.ofMinutes(1))
                        .clock(clock).build()) {
            Jdbi jdbi = Jdbi.create(db.url());
            jdbi.useHandle(h -> h.execute("DELETE FROM progress_events"));
            Finding big = new Finding(Severity.LOW, "r", "d", "f", 1, "y".repeat(9_000));
            bridge.onEvent(new FindingUpdate("p", "1", big));
            clock.advanceSeconds(61);
            bridge.onEvent(new FindingUpdate("p", "2", big));

            List<String> jobs = jdbi.withHandle(h -> h.createQuery("SELECT event_json FROM progress_events")
                    .mapTo(String.class).list());
            assertThat(jobs).singleElement().asString().contains("\"jobId\":\"2\"");
        }
    }

    @Test
    void sqliteHasNoBridge() throws Exception {
        try (TestDatabase sqlite = TestDatabase.sqlite(); JdbcBackend backend = sqlite.open(Clock.systemUTC())) {
            assertThatIllegalStateException().isThrownBy(() -> PgProgressBridge.builder(backend).build())
                    .withMessageContaining("PostgreSQL");
        }
    }

    /** Waits until {@code n} connections LISTEN on this schema's progress channel. */
    private void awaitListeners(int n) {
        String schema = db.url().substring(db.url().indexOf("currentSchema=") + 14);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (Connection c = DriverManager.getConnection(TestDatabase.POSTGRES_BASE_URL);
                    PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM pg_stat_activity WHERE query = ?")) {
                s.setString(1, "LISTEN \"aar_progress_" + schema + "\"");
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getInt(1) == n;
                }
            }
        });
    }
}
