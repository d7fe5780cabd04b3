package dev.aar.jdbc.internal;

import java.time.Duration;
import java.util.function.Consumer;
import javax.sql.DataSource;

/** PostgreSQL: row locks with {@code SKIP LOCKED} for the claim, {@code LISTEN/NOTIFY} for wake-ups. */
public final class PostgresCustomization implements Customization {

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public String greatestFunction() {
        return "GREATEST";
    }

    @Override
    public String claimLockClause() {
        return " FOR UPDATE SKIP LOCKED";
    }

    @Override
    public boolean writableCommonTableExpressions() {
        return true;
    }

    @Override
    public boolean streamsOnlyInTransaction() {
        return true;
    }

    @Override
    public boolean notifiesAcrossProcesses() {
        return true;
    }

    @Override
    public AutoCloseable startWorkListener(DataSource dataSource, String channel, Duration reconnectDelay,
            Consumer<String> onWork) {
        return PgListener.start(dataSource, channel, reconnectDelay, onWork);
    }
}
