package dev.aar.jdbc;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * The database behind one contract-kit test class: created on first use (so an unreachable
 * PostgreSQL skips or fails the tests, not class loading), emptied for every test, dropped by
 * {@link #close()} from the class's {@code @AfterAll}.
 */
final class KitDatabase implements AutoCloseable {

    private final Supplier<TestDatabase> factory;
    private TestDatabase db;
    private JdbcBackend backend;

    KitDatabase(Supplier<TestDatabase> factory) {
        this.factory = factory;
    }

    /** Returns the migrated backend with every table emptied. */
    JdbcBackend fresh() {
        if (backend == null) {
            db = factory.get();
            backend = db.open(Clock.systemUTC());
        }
        db.clean();
        return backend;
    }

    @Override
    public void close() throws Exception {
        if (backend != null) {
            backend.close();
        }
        if (db != null) {
            db.close();
        }
    }
}
