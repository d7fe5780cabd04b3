package dev.aar.jdbc;

import dev.aar.core.testing.RequiredService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;

/** A throw-away database for one test class: a SQLite file in a temp folder, or a fresh PostgreSQL schema. */
abstract class TestDatabase implements AutoCloseable {

    static final String POSTGRES_BASE_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private static final String[] TABLES = {"progress_events", "job_errors", "jobs", "findings", "reports", "chunks", "projects",
        "upload_parts", "upload_sessions", "job_checkpoints", "organization_quotas", "job_throughput", "api_keys"};

    /** Returns the JDBC URL of this database. */
    abstract String url();

    /** Returns a short name for messages ("sqlite", "postgresql"). */
    abstract String name();

    /** Opens a migrated backend on this database. */
    JdbcBackend open(Clock clock) {
        return JdbcBackend.builder().jdbcUrl(url()).clock(clock).build();
    }

    /** Deletes every row of every table the backend created, so each test starts empty. */
    void clean() {
        Jdbi.create(url()).useHandle(h -> {
            for (String table : TABLES) {
                h.execute("DELETE FROM " + table);
            }
        });
    }

    static TestDatabase sqlite() {
        try {
            return new Sqlite(Files.createTempDirectory("aar-jdbc-test"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a fresh schema; skips (or, under CI=true, fails) when PostgreSQL is unreachable. */
    static TestDatabase postgres() {
        RequiredService.requirePostgres();
        return new Postgres("aar_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    }

    private static final class Sqlite extends TestDatabase {
        private final Path dir;

        Sqlite(Path dir) {
            this.dir = dir;
        }

        @Override
        String url() {
            return "jdbc:sqlite:" + dir.resolve("aar.db");
        }

        @Override
        String name() {
            return "sqlite";
        }

        @Override
        public void close() throws IOException {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static final class Postgres extends TestDatabase {
        private final String schema;

        Postgres(String schema) {
            this.schema = schema;
            execute("CREATE SCHEMA " + schema);
        }

        @Override
        String url() {
            return POSTGRES_BASE_URL + "&currentSchema=" + schema;
        }

        @Override
        String name() {
            return "postgresql";
        }

        @Override
        public void close() {
            execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }

        private static void execute(String sql) {
            try (Connection c = DriverManager.getConnection(POSTGRES_BASE_URL); Statement s = c.createStatement()) {
                s.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(sql + " failed", e);
            }
        }
    }
}
