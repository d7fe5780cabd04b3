package dev.aar.jdbc.internal;

import java.time.Duration;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * SQLite: one process owns the file, so wake-ups stay in process; writes are serialised by the
 * database (WAL mode, busy timeout) and the claim needs no row locks.
 */
public final class SqliteCustomization implements Customization {

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public String greatestFunction() {
        return "MAX"; // SQLite's multi-argument MAX is a scalar function
    }

    @Override
    public String claimLockClause() {
        return "";
    }

    @Override
    public boolean writableCommonTableExpressions() {
        return false;
    }

    @Override
    public boolean streamsOnlyInTransaction() {
        return false;
    }

    @Override
    public boolean notifiesAcrossProcesses() {
        return false;
    }

    @Override
    public AutoCloseable startWorkListener(DataSource dataSource, String channel, Duration reconnectDelay,
            Consumer<String> onWork) {
        return null;
    }
}
