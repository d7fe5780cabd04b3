package dev.aar.jdbc.internal;

import java.time.Duration;
import java.util.function.Consumer;
import javax.sql.DataSource;

/** What differs between the supported databases; everything else is shared SQL. */
public interface Customization {

    /** Returns a short name ("postgresql", "sqlite"). */
    String name();

    /** Returns the Flyway location of this database's migrations. */
    default String migrationsLocation() {
        return "classpath:db/aar/" + name();
    }

    /**
     * Returns the classpath folder of this database's undo scripts ({@code U<version>__*.sql}); it is
     * outside the Flyway location, so Flyway never sees them.
     */
    default String undoFolder() {
        return "db/aar-undo/" + name();
    }

    /** Returns the SQL function taking the larger of two values ({@code GREATEST} or {@code MAX}). */
    String greatestFunction();

    /** Returns the row-locking suffix of the claim sub-select ({@code FOR UPDATE SKIP LOCKED} or none). */
    String claimLockClause();

    /**
     * Returns whether an {@code INSERT} may run inside a {@code WITH} clause of another statement
     * (PostgreSQL), so a claim records lapsed leases and takes its jobs in one statement.
     */
    boolean writableCommonTableExpressions();

    /** Returns whether the driver streams a result with a cursor only inside a transaction (PostgreSQL). */
    boolean streamsOnlyInTransaction();

    /** Returns whether the queue should send a cross-process notification on new work. */
    boolean notifiesAcrossProcesses();

    /**
     * Starts a listener that calls {@code onWork} with the payload of every notification on
     * {@code channel} (null after a reconnect, when notifications may have been missed), or returns
     * null when the database has no such mechanism (then only in-process wake-ups exist).
     */
    AutoCloseable startWorkListener(DataSource dataSource, String channel, Duration reconnectDelay,
            Consumer<String> onWork);
}
