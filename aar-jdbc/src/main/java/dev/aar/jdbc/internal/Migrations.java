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
import org.flywaydb.core.api.MigrationVersion;
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

    private Migrations() {
    }

    /** Returns the migrations this build ships for the database, oldest first (applied or not). */
    public static List<Shipped> shipped(DataSource dataSource, Customization customization) {
        List<Shipped> shipped = new ArrayList<>();
        for (MigrationInfo m : flyway(dataSource, customization, "latest").info().all()) {
            // resolved = a script of this build; excludes the baseline row and versions a newer build applied
            if (m.getVersion() != null && m.getState().isResolved() && m.getScript() != null
                    && m.getScript().startsWith("V")) {
                String undoSql = read(undoScript(customization, m));
                Matcher first = UNDO_SUMMARY.matcher(undoSql.lines().findFirst().orElse(""));
                String summary = first.matches() ? first.group(1).trim() : "";
                List<String> drops = new ArrayList<>();
                Matcher drop = DROP.matcher(undoSql);
                while (drop.find()) {
                    drops.add(drop.group(1).toLowerCase(Locale.ROOT) + " " + drop.group(2));
                }
                shipped.add(new Shipped(Integer.parseInt(m.getVersion().getVersion()), m.getDescription(), summary,
                        drops));
            }
        }
        shipped.sort(Comparator.comparingInt(Shipped::version));
        return shipped;
    }

    /** Migrates to {@code target} ("latest" for every migration); returns the version reached. */
    public static int migrate(DataSource dataSource, Customization customization, String target) {
        MigrateResult result = flyway(dataSource, customization, target).migrate();
        return version(result.targetSchemaVersion == null ? null : MigrationVersion.fromVersion(result.targetSchemaVersion),
                dataSource, customization);
    }

    /** Returns the version the schema is at (0 when nothing is applied). */
    public static int currentVersion(DataSource dataSource, Customization customization) {
        MigrationInfo current = flyway(dataSource, customization, "latest").info().current();
        return current == null || current.getVersion() == null ? 0 : Integer.parseInt(current.getVersion().getVersion());
    }

    /** Undoes every applied migration above {@code toVersion}, newest first; returns how many were undone. */
    public static int rollback(DataSource dataSource, Customization customization, int toVersion) {
        if (toVersion < 0) {
            throw new IllegalArgumentException("toVersion must be >= 0, was " + toVersion);
        }
        List<MigrationInfo> undo = new ArrayList<>();
        for (MigrationInfo m : flyway(dataSource, customization, "latest").info().applied()) {
            if (m.getVersion() != null && m.getScript() != null && m.getScript().startsWith("V")
                    && Integer.parseInt(m.getVersion().getVersion()) > toVersion) {
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

    private static int version(MigrationVersion reached, DataSource dataSource, Customization customization) {
        return reached == null ? currentVersion(dataSource, customization) : Integer.parseInt(reached.getVersion());
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
