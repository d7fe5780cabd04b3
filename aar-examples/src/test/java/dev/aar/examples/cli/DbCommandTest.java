package dev.aar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.testing.RequiredService;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code aar db info|migrate|rollback} on a SQLite file and (when reachable) a fresh PostgreSQL schema. */
class DbCommandTest {

    /** Every migration this build ships, as {@code aar db info} names them; the last one is the latest. */
    static final List<String> SHIPPED = List.of("V1 scaling tables", "V2 queue projects reports chunks",
            "V3 claim age index progress events", "V4 finished jobs index", "V5 dead letters by owner",
            "V6 api keys", "V7 job throughput", "V8 job elapsed time");
    static final int LATEST = 8;

    /** The shipped migrations above {@code version}, oldest first, as {@code aar db info} lists them. */
    static String above(int version) {
        return String.join(", ", SHIPPED.stream().filter(m -> Integer.parseInt(m.substring(1, m.indexOf(' '))) > version)
                .toList());
    }

    static long countAbove(int version) {
        return SHIPPED.stream().filter(m -> Integer.parseInt(m.substring(1, m.indexOf(' '))) > version).count();
    }

    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    @TempDir
    Path dir;

    private final List<String> schemas = new ArrayList<>();

    private record Run(int code, String out, String err) {
    }

    private static Run aar(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = AarCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** A fresh, empty database of the given kind: a SQLite file not yet created, or a new PostgreSQL schema. */
    private String database(String kind) throws Exception {
        if (kind.equals("sqlite")) {
            return "jdbc:sqlite:" + dir.resolve("db").resolve("aar.db");
        }
        RequiredService.requirePostgres();
        String schema = "aar_dbcli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        sql(POSTGRES, "CREATE SCHEMA " + schema);
        schemas.add(schema);
        return POSTGRES + "&currentSchema=" + schema;
    }

    @AfterEach
    void dropSchemas() throws Exception {
        for (String schema : schemas) {
            sql(POSTGRES, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void migrateRollbackWithConfirmationAndMigrateAgain(String kind) throws Exception {
        String url = database(kind);

        Run info = aar("db", "info", "--database-url", url);
        assertThat(info.code()).as(info.err()).isZero();
        assertThat(info.out()).contains("database:  " + kind, "version:   0", "latest:    " + LATEST,
                "pending:   " + SHIPPED.size() + " (" + above(0) + ")");
        assertThat(objects(url)).as("info migrated nothing").doesNotContain("jobs");
        if (kind.equals("sqlite")) {
            assertThat(info.out()).contains("(no database file yet)");
            assertThat(dir.resolve("db")).as("info created nothing").doesNotExist();
        }

        Run migrate = aar("db", "migrate", "--database-url", url);
        assertThat(migrate.code()).as(migrate.err()).isZero();
        assertThat(migrate.out()).contains("migrated " + kind + " from version 0 to " + LATEST);
        assertThat(aar("db", "info", "--database-url", url).out()).contains("version:   " + LATEST, "pending:   none");
        assertThat(aar("db", "migrate", "--database-url", url).out())
                .contains("at version " + LATEST + " (the latest); nothing to apply");
        sql(url, "INSERT INTO projects (id, owner_id, name, archive_key, archive_bytes, created_at)"
                + " VALUES ('p1', 'o', 'demo.zip', 'k', 1, 1)");

        Run dryRun = aar("db", "rollback", "--to", "2", "--database-url", url);
        assertThat(dryRun.code()).isEqualTo(2);
        assertThat(dryRun.out()).contains("from version " + LATEST + " to 2 would undo",
                "V6 api keys: drops the API keys table", "[drops table api_keys]",
                "V4 finished jobs index: drops the index of finished jobs", "[drops index jobs_finished]",
                "V3 claim age index progress events", "[drops table progress_events, index jobs_claimable_age]");
        assertThat(dryRun.out().indexOf("V6")).isLessThan(dryRun.out().indexOf("V4"));
        assertThat(dryRun.out().indexOf("V4")).isLessThan(dryRun.out().indexOf("V3"));
        assertThat(dryRun.err()).startsWith("aar: nothing was changed").contains("--yes");
        assertThat(objects(url)).contains("progress_events", "jobs_claimable_age", "jobs_finished");
        assertThat(aar("db", "info", "--database-url", url).out()).contains("version:   " + LATEST);

        Run rollback = aar("db", "rollback", "--to", "2", "--yes", "--database-url", url);
        assertThat(rollback.code()).as(rollback.err()).isZero();
        assertThat(rollback.out()).contains("rolled " + kind + " back from version " + LATEST + " to 2 (undid ");
        assertThat(rollback.out()).contains("V8, V7, V6, V5, V4, V3)");
        assertThat(objects(url)).doesNotContain("progress_events", "jobs_claimable_age", "jobs_finished")
                .contains("jobs", "projects", "upload_sessions");
        assertThat(count(url, "SELECT count(*) FROM projects")).as("V2's rows are kept").isEqualTo(1);
        assertThat(aar("db", "info", "--database-url", url).out())
                .contains("version:   2", "pending:   " + countAbove(2) + " (" + above(2) + ")");

        Run again = aar("db", "migrate", "--database-url", url);
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("from version 2 to " + LATEST);
        assertThat(objects(url)).contains("progress_events", "jobs_claimable_age", "jobs_finished");
        assertThat(count(url, "SELECT count(*) FROM projects")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void targetsOutsideZeroToTheCurrentVersionAreRefused(String kind) throws Exception {
        String url = database(kind);
        Run onEmpty = aar("db", "rollback", "--to", "1", "--yes", "--database-url", url);
        assertThat(onEmpty.code()).isEqualTo(2);
        assertThat(onEmpty.err()).isEqualTo("aar: --to 1 is out of range: allowed 0..0 (the database is at version 0; "
                + "0 removes every table)\n");

        aar("db", "migrate", "--database-url", url);
        for (String target : List.of(String.valueOf(LATEST + 1), "-1")) {
            Run refused = aar("db", "rollback", "--to", target, "--yes", "--database-url", url);
            assertThat(refused.code()).as(refused.err()).isEqualTo(2);
            assertThat(refused.err()).contains("--to " + target + " is out of range: allowed 0.." + LATEST).hasLineCount(1);
        }
        Run same = aar("db", "rollback", "--to", String.valueOf(LATEST), "--database-url", url);
        assertThat(same.code()).isZero();
        assertThat(same.out()).contains("at version " + LATEST + "; nothing to roll back");
        assertThat(objects(url)).contains("jobs_finished");

        Run toZero = aar("db", "rollback", "--to", "0", "--yes", "--database-url", url);
        assertThat(toZero.code()).as(toZero.err()).isZero();
        assertThat(objects(url)).doesNotContain("jobs", "upload_sessions", "organization_quotas");
        assertThat(aar("db", "info", "--database-url", url).out()).contains("version:   0");
    }

    @Test
    void withoutAUrlItUsesServesSqliteFileUnderDataOrTheConfiguredUrl() throws Exception {
        Path data = dir.resolve("aar-data");
        Run migrate = aar("db", "migrate", "--data", data.toString());
        assertThat(migrate.code()).as(migrate.err()).isZero();
        assertThat(data.resolve(ServeCommand.DATABASE_FILE)).exists();
        if (data.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // created owner-only, like everything under the data directory
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(data.resolve(ServeCommand.DATABASE_FILE)))).isEqualTo("rw-------");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
                    .isEqualTo("rwx------");
        }
        assertThat(aar("db", "info", "--data", data.toString()).out())
                .contains("database:  sqlite (jdbc:sqlite:" + data.resolve(ServeCommand.DATABASE_FILE).toAbsolutePath() + ")",
                        "version:   " + LATEST);

        Path other = dir.resolve("configured.db");
        Path config = Files.writeString(dir.resolve("appsettings.json"),
                "{\"Connections\": {\"DatabaseUrl\": \"jdbc:sqlite:" + other + "\"}}");
        Run configured = aar("db", "info", "--config", config.toString(), "--data", data.toString());
        assertThat(configured.out()).contains("(jdbc:sqlite:" + other + ")", "version:   0");
        Run explicit = aar("db", "info", "--config", config.toString(), "--database-url",
                "jdbc:sqlite:" + data.resolve(ServeCommand.DATABASE_FILE));
        assertThat(explicit.out()).contains("version:   " + LATEST);
    }

    @Test
    void aBadOrUnreachableUrlIsOneLine() {
        Run bad = aar("db", "info", "--database-url", "jdbc:mysql://db/aar?password=secret");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).isEqualTo("aar: the database URL must start with jdbc:postgresql: or jdbc:sqlite:, "
                + "was 'jdbc:mysql://db/aar?…'\n");

        Run unreachable = aar("db", "migrate", "--database-url", "jdbc:postgresql://127.0.0.1:1/test?user=postgres");
        assertThat(unreachable.code()).isEqualTo(1);
        assertThat(unreachable.err()).startsWith("aar: cannot connect to jdbc:postgresql://127.0.0.1:1/test?…: ")
                .hasLineCount(1).doesNotContain("Exception");

        Run missing = aar("db", "rollback", "--to", "0", "--database-url", "jdbc:sqlite:/nonexistent/dir/aar.db");
        assertThat(missing.code()).as(missing.err()).isZero();
        assertThat(missing.out()).contains("at version 0; nothing to roll back");
    }

    /** Returns the names of the tables and indexes in the URL's database (its current schema on PostgreSQL). */
    private static List<String> objects(String url) throws Exception {
        String query = url.startsWith("jdbc:sqlite:")
                ? "SELECT name FROM sqlite_master WHERE type IN ('table', 'index')"
                : "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i')";
        if (url.startsWith("jdbc:sqlite:") && !Files.exists(Path.of(url.substring("jdbc:sqlite:".length())))) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); PreparedStatement s = c.prepareStatement(query);
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static long count(String url, String query) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void sql(String url, String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
