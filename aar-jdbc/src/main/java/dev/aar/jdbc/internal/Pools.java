package dev.aar.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Duration;

/** Builds the connection pool for a JDBC URL, tuned to its database. */
public final class Pools {

    private Pools() {
    }

    /** Returns whether {@code jdbcUrl} names a SQLite database. */
    public static boolean isSqlite(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:sqlite:");
    }

    /**
     * Creates a Hikari pool. For SQLite every connection gets WAL mode (readers never block the
     * writer), a busy timeout (a second writer waits instead of failing), enforced foreign keys and
     * immediate transactions (a transaction takes the write lock when it begins, so it cannot fail
     * half-way on lock upgrade); a new SQLite file is created owner-only with {@code sqlitePageSize}-byte
     * pages ({@link SqliteFiles}).
     */
    public static HikariDataSource create(String jdbcUrl, int maxSize, Duration busyTimeout, int sqlitePageSize) {
        if (!jdbcUrl.startsWith("jdbc:postgresql:") && !isSqlite(jdbcUrl)) {
            throw new IllegalArgumentException(
                    "database URL must start with jdbc:postgresql: or jdbc:sqlite:, was '" + redact(jdbcUrl) + "'");
        }
        if (isSqlite(jdbcUrl)) {
            try {
                SqliteFiles.createOwnerOnly(jdbcUrl);
                SqliteFiles.initialize(jdbcUrl, sqlitePageSize);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the SQLite database " + redact(jdbcUrl) + ": " + e.getMessage(), e);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create the SQLite database " + redact(jdbcUrl) + ": " + e.getMessage(), e);
            }
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(maxSize);
        config.setPoolName("aar-jdbc");
        if (isSqlite(jdbcUrl)) {
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("synchronous", "NORMAL");
            config.addDataSourceProperty("busy_timeout", Long.toString(busyTimeout.toMillis()));
            config.addDataSourceProperty("foreign_keys", "true");
            config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        }
        return new HikariDataSource(config);
    }

    /** Returns the URL without its query string, which may hold a password. */
    static String redact(String jdbcUrl) {
        int q = jdbcUrl.indexOf('?');
        return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q) + "?…";
    }
}
