package dev.aar.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.jdbc.internal.Customizations;
import dev.aar.jdbc.internal.Migrations;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** Migrates an empty database and ones at older versions (with rows), and rolls back, on both databases. */
class MigrationsTest {

    static final List<String> V1_TABLES = List.of("job_checkpoints", "organization_quotas", "upload_parts",
            "upload_sessions");
    static final List<String> V2_TABLES = List.of("chunks", "findings", "job_errors", "jobs", "projects", "reports");
    static final List<String> V3_TABLES = List.of("progress_events");
    static final List<String> V4_INDEXES = List.of("jobs_finished");
    static final List<String> V5_INDEXES = List.of("jobs_dead_letters_owner");
    static final List<String> V7_TABLES = List.of("job_throughput");
    /** The versions this build ships; the last is the latest. */
    static final List<Integer> SHIPPED = List.of(1, 2, 3, 4, 5, 6, 7, 8);
    static final int LATEST = SHIPPED.get(SHIPPED.size() - 1);

    /** How many shipped migrations lie above {@code version}: what a rollback to it undoes. */
    static int above(int version) {
        return (int) SHIPPED.stream().filter(v -> v > version).count();
    }

    abstract static class Cases {

        abstract TestDatabase createDatabase();

        abstract DataSource dataSource(TestDatabase db);

        @Test
        void anEmptyDatabaseMigratesToTheLatestVersion() throws Exception {
            try (TestDatabase db = createDatabase(); JdbcBackend backend = db.open(java.time.Clock.systemUTC())) {
                assertThat(backend.schemaVersion()).isEqualTo(LATEST);
                assertThat(tables(dataSource(db))).containsAll(V1_TABLES).containsAll(V2_TABLES).containsAll(V3_TABLES)
                        .containsAll(V7_TABLES);
                assertThat(jobIndexes(dataSource(db))).containsAll(V4_INDEXES).containsAll(V5_INDEXES);
            }
        }

        @Test
        void aDatabaseAtVersionFourGivesItsAnalysisJobsTheirOwnersAndListsDeadLettersPerOwner() throws Exception {
            try (TestDatabase db = createDatabase()) {
                DataSource ds = dataSource(db);
                assertThat(Migrations.migrate(ds, Customizations.detect(ds), "4")).isEqualTo(4);
                Jdbi.create(ds).useHandle(h -> h.execute("""
                        INSERT INTO jobs (type, payload, priority, state, run_at, created_at, updated_at, dead_lettered_at)
                        VALUES ('analysis', '{"projectId":"p1","ownerId":"org-a"}', 1, 'DEAD_LETTERED', 1, 1, 2, 2),
                               ('analysis', '{"projectId":"p2","ownerId":"org-b"}', 1, 'QUEUED', 1, 1, 1, NULL),
                               ('other', 'not json', 1, 'DEAD_LETTERED', 1, 1, 2, 2)"""));

                try (JdbcBackend backend = JdbcBackend.create(ds)) {
                    assertThat(backend.schemaVersion()).isEqualTo(LATEST);
                    assertThat(jobIndexes(ds)).containsAll(V5_INDEXES);
                    assertThat(backend.jobQueue().deadLetters("org-a", 10)).singleElement()
                            .satisfies(j -> assertThat(j.owner()).isEqualTo("org-a"));
                    assertThat(backend.jobQueue().deadLetters(10)).hasSize(2);
                    assertThat(backend.jobQueue().claim("w", 10, java.time.Duration.ofMinutes(1),
                            dev.aar.queue.JobPriority.LOW)).singleElement()
                            .satisfies(l -> assertThat(l.job().owner()).isEqualTo("org-b"));
                }
            }
        }

        @Test
        void aDatabaseAtVersionThreeGetsTheFinishedJobsIndexAndItsOldJobsCanBePurged() throws Exception {
            try (TestDatabase db = createDatabase()) {
                DataSource ds = dataSource(db);
                assertThat(Migrations.migrate(ds, Customizations.detect(ds), "3")).isEqualTo(3);
                assertThat(jobIndexes(ds)).doesNotContainAnyElementsOf(V4_INDEXES);
                Jdbi.create(ds).useHandle(h -> {
                    h.execute("""
                            INSERT INTO jobs (type, payload, priority, state, run_at, created_at, updated_at)
                            VALUES ('t', '{}', 0, 'SUCCEEDED', 1, 1, 2), ('t', '{}', 0, 'QUEUED', 1, 1, 1)""");
                    h.execute("INSERT INTO job_errors (job_id, attempt, at, message) SELECT id, 1, 2, 'x' FROM jobs");
                });

                try (JdbcBackend backend = JdbcBackend.create(ds)) {
                    assertThat(backend.schemaVersion()).isEqualTo(LATEST);
                    assertThat(jobIndexes(ds)).containsAll(V4_INDEXES);
                    assertThat(backend.jobQueue().purgeFinished(java.time.Instant.ofEpochMilli(3), true)).isEqualTo(1);
                    assertThat(backend.jobQueue().stats().queued()).isEqualTo(1);
                    int errorRows = Jdbi.create(ds).withHandle(h -> h.createQuery("SELECT COUNT(*) FROM job_errors")
                            .mapTo(Integer.class).one());
                    assertThat(errorRows).isEqualTo(1);
                }
            }
        }

        @Test
        void aDatabaseAtVersionTwoMigratesAndKeepsItsRows() throws Exception {
            try (TestDatabase db = createDatabase()) {
                DataSource ds = dataSource(db);
                assertThat(Migrations.migrate(ds, Customizations.detect(ds), "2")).isEqualTo(2);
                assertThat(tables(ds)).containsAll(V2_TABLES).doesNotContainAnyElementsOf(V3_TABLES);
                Jdbi.create(ds).useHandle(h -> {
                    h.execute("""
                            INSERT INTO job_checkpoints (job_id, project_id, phase, processed_file_count, total_file_count,
                                checkpoint_data, created_at, updated_at) VALUES ('j1', 'p1', 'Indexing', 1, 2, '{}', 1, 1)""");
                    h.execute("""
                            INSERT INTO jobs (type, payload, priority, state, run_at, created_at, updated_at)
                            VALUES ('t', '{}', 0, 'QUEUED', 1, 1, 1)""");
                });

                try (JdbcBackend backend = JdbcBackend.create(ds)) {
                    assertThat(backend.schemaVersion()).isEqualTo(LATEST);
                    assertThat(backend.checkpointStore().find("j1")).isPresent();
                    assertThat(backend.jobQueue().stats().queued()).isEqualTo(1);
                    assertThat(tables(ds)).containsAll(V3_TABLES);
                }
            }
        }

        @Test
        void rollbackUndoesNewestFirstAndTheSchemaCanMigrateAgain() throws Exception {
            try (TestDatabase db = createDatabase()) {
                DataSource ds = dataSource(db);
                try (JdbcBackend backend = JdbcBackend.create(ds)) {
                    assertThat(tables(ds)).contains("api_keys");
                    assertThat(backend.rollback(4)).isEqualTo(above(4));
                    assertThat(tables(ds)).doesNotContain("api_keys");
                    assertThat(backend.schemaVersion()).isEqualTo(4);
                    assertThat(jobIndexes(ds)).doesNotContainAnyElementsOf(V5_INDEXES).containsAll(V4_INDEXES);
                    assertThat(backend.rollback(3)).isEqualTo(1);
                    assertThat(backend.schemaVersion()).isEqualTo(3);
                    assertThat(jobIndexes(ds)).doesNotContainAnyElementsOf(V4_INDEXES).contains("jobs_claimable_age");
                    assertThat(tables(ds)).containsAll(V3_TABLES);
                    assertThat(backend.rollback(2)).isEqualTo(1);
                    assertThat(jobIndexes(ds)).doesNotContain("jobs_claimable_age").contains("jobs_claimable");
                    assertThat(tables(ds)).containsAll(V2_TABLES).doesNotContainAnyElementsOf(V3_TABLES);
                    assertThat(backend.rollback(1)).isEqualTo(1);
                    assertThat(backend.schemaVersion()).isEqualTo(1);
                    assertThat(tables(ds)).containsAll(V1_TABLES).doesNotContainAnyElementsOf(V2_TABLES);
                    assertThat(backend.rollback(0)).isEqualTo(1);
                    assertThat(backend.schemaVersion()).isZero();
                    assertThat(tables(ds)).doesNotContainAnyElementsOf(V1_TABLES);
                    assertThatThrownBy(() -> backend.rollback(-1)).isInstanceOf(IllegalArgumentException.class);
                }
                try (JdbcBackend again = JdbcBackend.create(ds)) {
                    assertThat(again.schemaVersion()).isEqualTo(LATEST);
                }
            }
        }

        @Test
        void aBackendOpenedWithoutMigratingListsWhatItShipsAndMigratesOnRequest() throws Exception {
            try (TestDatabase db = createDatabase();
                    JdbcBackend backend = JdbcBackend.builder().jdbcUrl(db.url()).migrate(false).build()) {
                assertThat(backend.schemaVersion()).isZero();
                assertThat(backend.latestVersion()).isEqualTo(LATEST);
                List<SchemaMigration> shipped = backend.migrations();
                assertThat(shipped).extracting(SchemaMigration::version).containsExactly(SHIPPED.toArray(Integer[]::new));
                assertThat(shipped.get(4).description()).isEqualTo("dead letters by owner");
                assertThat(shipped.get(4).undoDrops()).containsExactly("index jobs_dead_letters_owner");
                assertThat(shipped.get(2).description()).isEqualTo("claim age index progress events");
                assertThat(shipped.get(2).undo()).startsWith("drops the AGE claim index");
                assertThat(shipped.get(2).undoDrops()).containsExactly("table progress_events", "index jobs_claimable_age");
                assertThat(tables(dataSource(db))).doesNotContainAnyElementsOf(V1_TABLES);

                assertThat(backend.migrate()).isEqualTo(LATEST);
                assertThat(backend.schemaVersion()).isEqualTo(LATEST);
                assertThat(backend.migrations()).hasSize(shipped.size());
            }
        }

        @Test
        void aSchemaWithTheHostsOwnTablesIsMigratedBesideThem() throws Exception {
            try (TestDatabase db = createDatabase()) {
                DataSource ds = dataSource(db);
                Jdbi.create(ds).useHandle(h -> h.execute("CREATE TABLE host_orders (id INTEGER PRIMARY KEY)"));

                try (JdbcBackend backend = JdbcBackend.create(ds)) {
                    assertThat(backend.schemaVersion()).isEqualTo(LATEST);
                    assertThat(tables(ds)).contains("host_orders");
                }
            }
        }
    }

    static List<String> tables(DataSource ds) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = ds.getConnection();
                ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    /** Returns the names of the indexes on {@code jobs}. */
    static List<String> jobIndexes(DataSource ds) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = ds.getConnection();
                ResultSet rs = c.getMetaData().getIndexInfo(null, c.getSchema(), "jobs", false, false)) {
            while (rs.next()) {
                String name = rs.getString("INDEX_NAME");
                if (name != null) {
                    names.add(name.toLowerCase(Locale.ROOT));
                }
            }
        }
        return names;
    }

    @Nested
    class OnSqlite extends Cases {
        @Override
        TestDatabase createDatabase() {
            return TestDatabase.sqlite();
        }

        @Override
        DataSource dataSource(TestDatabase db) {
            SQLiteDataSource ds = new SQLiteDataSource();
            ds.setUrl(db.url());
            return ds;
        }
    }

    @Nested
    class OnPostgres extends Cases {
        @Override
        TestDatabase createDatabase() {
            return TestDatabase.postgres();
        }

        @Override
        DataSource dataSource(TestDatabase db) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(db.url());
            return ds;
        }
    }
}
