package dev.aar.jdbc.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/** Small helpers shared by the stores: running a callback with the SPIs' failure type, and instants as epoch millis. */
final class Sql {

    private Sql() {
    }

    /** Runs {@code callback} on a handle; a database failure surfaces as {@link UncheckedIOException}, as the SPIs say. */
    static <T> T call(Jdbi jdbi, String what, HandleCallback<T, RuntimeException> callback) {
        try {
            return jdbi.withHandle(callback);
        } catch (JdbiException e) {
            throw failure(what, e);
        }
    }

    /** Runs {@code callback} in one transaction, with the same failure type. */
    static <T> T inTransaction(Jdbi jdbi, String what, HandleCallback<T, RuntimeException> callback) {
        try {
            return jdbi.inTransaction(callback);
        } catch (JdbiException e) {
            throw failure(what, e);
        }
    }

    static UncheckedIOException failure(String what, Exception cause) {
        return new UncheckedIOException(new IOException("database: " + what + " failed: " + cause.getMessage(), cause));
    }

    static long millis(Instant instant) {
        return instant.toEpochMilli();
    }

    static Long millisOrNull(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }
}
