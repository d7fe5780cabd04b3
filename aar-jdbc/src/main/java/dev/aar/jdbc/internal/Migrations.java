package dev.aar.jdbc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;

/**
 * Runs the schema migrations forward (Flyway) and back (the undo scripts shipped beside them).
 *
 * <p>Flyway's own undo is a paid feature, so each {@code V<n>__name.sql} has a {@code U<n>__name.sql}
 * in the {@code undo} folder; {@link #rollback} runs them newest first, each in a transaction with
 * the removal of its version's history row.
 */
public final class Migrations {

    /** The history table: our own name, so it never collides with a host application's Flyway table. */
    public static final String HISTORY_TABLE = "aar_schema_history";

    private static final Pattern UNDO_SUMMARY = Pattern.compile("^--\\s*(?:Undoes V\\d+:\\s*)?(.*)$");
    private static final Pattern DROP = Pattern.compile(
            "(?im)^\\s*DROP\\s+(TABLE|INDEX|VIEW|TRIGGER)\\s+(?:IF\\s+EXISTS\\s+)?([A-Za-z0-9_.\"]+)");

    /** A migration this build ships: version, description, its undo script's summary and dropped objects. */
    public record Shipped(int version, String description, String undo, List<String> undoDrops) {
    }

    private final DataSource dataSource;
    private final Customization customization;
    /** Flyway configured for every migration; built once, as the health probe asks for the version per request. */
    private final Flyway latest;

    private Migrations(DataSource dataSource, Customization customization) {
        this.dataSource = dataSource;
        this.customization = customization;
        this.latest = flyway(dataSource, customization, "latest");
    }

    /** Returns the migrations of {@code dataSource}, with Flyway configured once for all the calls on it. */
    public static Migrations of(DataSource dataSource, Customization customization) {
        return new Migrations(dataSource, customization);
    }

    /** Returns the migrations this build ships for the database, oldest first (applied or not). */
    public static List<Shipped> shipped(DataSource dataSource, Customization customization) {
        return of(dataSource, customization).shipped();
    }

    /** Migrates to {@code target} ("latest" for every migration); returns the version reached. */
    public static int migrate(DataSource dataSource, Customization customization, String target) {
        return of(dataSource, customization).migrate(target);
    }

    /** Returns the version the schema is at (0 when nothing is applied). */
    public static int currentVersion(DataSource dataSource, Customization customization) {
        return of(dataSource, customization).currentVersion();
    }

    /** Undoes every applied migration above {@code toVersion}, newest first; returns how many were undone. */
    public static int rollback(DataSource dataSource, Customization customization, int toVersion) {
        return of(dataSource, customization).rollback(toVersion);
    }

    /** Returns the migrations this build ships for the database, oldest first (applied or not). */
    public List<Shipped> shipped() {
        List<Shipped> shipped = new ArrayList<>();
        for (MigrationInfo m : latest.info().all()) {
            if (isShipped(m)) {
                String undoSql = read(undoScript(customization, m));
                Matcher first = UNDO_SUMMARY.matcher(undoSql.lines().findFirst().orElse(""));
                String summary = first.matches() ? first.group(1).trim() : "";
                List<String> drops = new ArrayList<>();
                Matcher drop = DROP.matcher(undoSql);
                while (drop.find()) {
                    drops.add(drop.group(1).toLowerCase(Locale.ROOT) + " " + drop.group(2));
                }
                shipped.add(new Shipped(version(m), m.getDescription(), summary, drops));
            }
        }
        shipped.sort(Comparator.comparingInt(Shipped::version));
        return shipped;
    }

    /** Returns the version of this build's newest migration (0 if it ships none), without reading the undo scripts. */
    public int latestVersion() {
        int newest = 0;
        for (MigrationInfo m : latest.info().all()) {
            if (isShipped(m)) {
                newest = Math.max(newest, version(m));
            }
        }
        return newest;
    }

    /** Migrates to {@code target} ("latest" for every migration); returns the version reached. */
    public int migrate(String target) {
        Flyway flyway = "latest".equals(target) ? latest : flyway(dataSource, customization, target);
        MigrateResult result = flyway.migrate();
        return result.targetSchemaVersion == null ? currentVersion() : Integer.parseInt(result.targetSchemaVersion);
    }

    /** Returns the version the schema is at (0 when nothing is applied). */
    public int currentVersion() {
        MigrationInfo current = latest.info().current();
        return current == null || current.getVersion() == null ? 0 : version(current);
    }

    /** Undoes every applied migration above {@code toVersion}, newest first; returns how many were undone. */
    public int rollback(int toVersion) {
        if (toVersion < 0) {
            throw new IllegalArgumentException("toVersion must be >= 0, was " + toVersion);
        }
        List<MigrationInfo> undo = new ArrayList<>();
        for (MigrationInfo m : latest.info().applied()) {
            if (isVersionedScript(m) && version(m) > toVersion) {
                undo.add(m);
            }
        }
        undo.sort(Comparator.comparing(MigrationInfo::getVersion).reversed());
        Jdbi jdbi = Jdbi.create(dataSource);
        for (MigrationInfo m : undo) {
            String sql = read(undoScript(customization, m));
            Sql.inTransaction(jdbi, "undo migration " + m.getVersion(), h -> {
                h.createScript(sql).execute();
                h.createUpdate("DELETE FROM " + HISTORY_TABLE + " WHERE version = :v")
                        .bind("v", m.getVersion().getVersion()).execute();
                return null;
            });
        }
        return undo.size();
    }

    /** A {@code V<n>} script of this build; excludes the baseline row and versions a newer build applied. */
    private static boolean isShipped(MigrationInfo m) {
        return isVersionedScript(m) && m.getState().isResolved();
    }

    private static boolean isVersionedScript(MigrationInfo m) {
        return m.getVersion() != null && m.getScript() != null && m.getScript().startsWith("V");
    }

    private static int version(MigrationInfo m) {
        return Integer.parseInt(m.getVersion().getVersion());
    }

    private static String undoScript(Customization customization, MigrationInfo m) {
        return customization.undoFolder() + "/U" + m.getScript().substring(1);
    }

    private static Flyway flyway(DataSource dataSource, Customization customization, String target) {
        return Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(customization.migrationsLocation())
                .table(HISTORY_TABLE)
                // a host may keep its own tables in the same schema: start our history beside them
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .target(target)
                .load();
    }

    private static String read(String resource) {
        try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("undo script " + resource + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read undo script " + resource, e);
        }
    }
}
