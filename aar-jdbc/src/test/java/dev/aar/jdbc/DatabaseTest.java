package dev.aar.jdbc;

import dev.aar.queue.MutableClock;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the per-database test cases: one database and backend per test class (a SQLite file or a
 * PostgreSQL schema, dropped afterwards), emptied before each test, on a hand-moved clock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DatabaseTest {

    /** Millisecond-aligned, since the tables keep epoch milliseconds. */
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    TestDatabase db;
    JdbcBackend backend;
    MutableClock clock;

    /** Creates this class's database. */
    abstract TestDatabase createDatabase();

    @BeforeAll
    void createDb() {
        db = createDatabase();
        clock = new MutableClock(T0);
        backend = db.open(clock);
    }

    @BeforeEach
    void emptyTables() {
        clock.set(T0);
        db.clean();
    }

    @AfterAll
    void dropDb() throws Exception {
        if (backend != null) {
            backend.close();
        }
        if (db != null) {
            db.close();
        }
    }
}
