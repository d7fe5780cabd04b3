package dev.aar.examples.cli;

import dev.aar.jdbc.JdbcBackend;
import dev.aar.jdbc.SchemaMigration;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code aar db info|migrate|rollback}: the schema of the database {@code aar serve} uses, for
 * operators. Only {@code migrate} applies migrations; {@code info} and {@code rollback} open the
 * database without migrating.
 */
@Command(name = "db", mixinStandardHelpOptions = true,
        description = "Shows, migrates or rolls back the schema of the database aar serve uses.",
        subcommands = {DbCommand.Info.class, DbCommand.Migrate.class, DbCommand.Rollback.class})
final class DbCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** What every {@code aar db} subcommand takes: which database, and the configuration it may come from. */
    abstract static class Subcommand implements Callable<Integer> {
        @Mixin
        DatabaseOptions database;

        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;
    }

    /** {@code aar db info}. */
    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Prints the database, its schema version, the latest this build knows and what is pending.")
    static final class Info extends Subcommand {

        @Override
        public Integer call() {
            return withDatabase(spec, database.url(config), false, (db, url, out) -> {
                int current = db.schemaVersion();
                List<SchemaMigration> shipped = db.migrations();
                int latest = latest(shipped);
                List<SchemaMigration> pending = shipped.stream().filter(m -> m.version() > current).toList();
                out.printf(Locale.ROOT, "database:  %s (%s)%n", db.database(), ServeCommand.redact(url));
                out.printf(Locale.ROOT, "version:   %d%s%n", current, sqliteFileMissing(url) ? " (no database file yet)" : "");
                out.printf(Locale.ROOT, "latest:    %d%n", latest);
                if (current > latest) {
                    out.printf(Locale.ROOT, "pending:   none (the database is newer than this build: a later release migrated it)%n");
                } else if (pending.isEmpty()) {
                    out.println("pending:   none");
                } else {
                    out.printf(Locale.ROOT, "pending:   %d (%s); apply with: aar db migrate%n", pending.size(),
                            pending.stream().map(m -> "V" + m.version() + " " + m.description())
                                    .collect(Collectors.joining(", ")));
                }
                return 0;
            });
        }
    }

    /** {@code aar db migrate}. */
    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = "Applies the pending migrations (aar serve also does this when it starts).")
    static final class Migrate extends Subcommand {

        @Override
        public Integer call() {
            return withDatabase(spec, database.url(config), true, (db, url, out) -> {
                int from = db.schemaVersion();
                int latest = db.latestVersion();
                if (from >= latest) {
                    out.printf(Locale.ROOT, "%s is at version %d%s; nothing to apply%n", db.database(), from,
                            from == latest ? " (the latest)" : ", newer than this build's " + latest);
                    return 0;
                }
                int to = db.migrate();
                out.printf(Locale.ROOT, "migrated %s from version %d to %d%n", db.database(), from, to);
                return 0;
            });
        }
    }

    /** {@code aar db rollback --to N [--yes]}. */
    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = {"Undoes the migrations above version N, newest first, with the shipped undo scripts.",
                "N is 0 (no tables) up to the current version. Undo scripts drop tables and their data: without --yes "
                        + "this only prints what would be undone. Stop every node and take a backup first."})
    static final class Rollback extends Subcommand {
        @Option(names = "--to", paramLabel = "N", required = true, description = "the version to roll back to")
        int to;

        @Option(names = "--yes", description = "really roll back (data in the dropped tables is lost)")
        boolean yes;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            return withDatabase(spec, database.url(config), false, (db, url, out) -> {
                int current = db.schemaVersion();
                List<SchemaMigration> shipped = db.migrations();
                int latest = latest(shipped);
                if (current > latest) {
                    err.printf(Locale.ROOT, "aar: the database is at version %d, newer than this build knows (%d): "
                            + "roll it back with the release that migrated it%n", current, latest);
                    return AarCli.EXIT_REFUSED;
                }
                if (to < 0 || to > current) {
                    err.printf(Locale.ROOT, "aar: --to %d is out of range: allowed 0..%d (the database is at version %d; "
                            + "0 removes every table)%n", to, current, current);
                    return AarCli.EXIT_REFUSED;
                }
                if (to == current) {
                    out.printf(Locale.ROOT, "%s is at version %d; nothing to roll back%n", db.database(), current);
                    return 0;
                }
                List<SchemaMigration> undo = shipped.stream().filter(m -> m.version() > to && m.version() <= current)
                        .sorted((a, b) -> Integer.compare(b.version(), a.version())).toList();
                if (!yes) {
                    out.printf(Locale.ROOT, "rolling %s back from version %d to %d would undo, newest first:%n",
                            db.database(), current, to);
                    for (SchemaMigration m : undo) {
                        out.printf(Locale.ROOT, "  V%d %s: %s%s%n", m.version(), m.description(), m.undo(),
                                m.undoDrops().isEmpty() ? "" : " [drops " + String.join(", ", m.undoDrops()) + "]");
                    }
                    out.flush();
                    err.println("aar: nothing was changed; stop every node, take a backup, then add --yes "
                            + "(data in the dropped tables is lost)");
                    return AarCli.EXIT_REFUSED;
                }
                db.rollback(to);
                out.printf(Locale.ROOT, "rolled %s back from version %d to %d (undid %s)%n", db.database(), current,
                        db.schemaVersion(), undo.stream().map(m -> "V" + m.version()).collect(Collectors.joining(", ")));
                out.println("aar serve of this build migrates it forward again when it starts: run the release that "
                        + "matches version " + to);
                return 0;
            });
        }
    }

    /** What a subcommand does with the opened database. */
    interface Action {
        int run(JdbcBackend db, String url, PrintWriter out);
    }

    /**
     * Opens {@code url} without migrating, runs {@code action} and closes it; a bad URL is refused
     * (exit 2) and a database that cannot be reached or fails is reported on one line (exit 1).
     */
    static int withDatabase(CommandSpec spec, String url, boolean creating, Action action) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:sqlite:")) {
            err.println("aar: the database URL must start with jdbc:postgresql: or jdbc:sqlite:, was '"
                    + ServeCommand.redact(url) + "'");
            return AarCli.EXIT_REFUSED;
        }
        String open = url;
        if (sqliteFileMissing(url)) {
            if (creating) {
                Path file = sqliteFile(url);
                try {
                    // owner-only from the start: the probe below would otherwise create it with the umask's mode
                    DataDirectory.createDatabaseFile(file);
                } catch (IOException e) {
                    err.println("aar: cannot create " + file.toAbsolutePath() + ": " + e.getMessage());
                    return AarCli.EXIT_INTERNAL;
                }
            } else {
                // a missing file is an empty database: read an empty one in memory rather than create the file
                open = "jdbc:sqlite::memory:";
            }
        }
        // one plain connection first: a refused or unknown database is then one line, not the pool's stack trace
        try (Connection probe = DriverManager.getConnection(open)) {
            probe.getMetaData();
        } catch (SQLException e) {
            err.println("aar: cannot connect to " + ServeCommand.redact(url) + ": " + firstLine(e.getMessage()));
            return AarCli.EXIT_INTERNAL;
        }
        try (JdbcBackend db = JdbcBackend.builder().jdbcUrl(open).migrate(false).build()) {
            int code = action.run(db, url, out);
            out.flush();
            return code;
        } catch (RuntimeException e) {
            err.println("aar: " + ServeCommand.redact(url) + ": " + firstLine(String.valueOf(e.getMessage())));
            return AarCli.EXIT_INTERNAL;
        }
    }

    private static int latest(List<SchemaMigration> shipped) {
        return shipped.isEmpty() ? 0 : shipped.get(shipped.size() - 1).version();
    }

    /** Returns whether {@code url} names a SQLite file (not {@code :memory:} or a {@code file:} URI) that does not exist. */
    static boolean sqliteFileMissing(String url) {
        Path file = sqliteFile(url);
        return file != null && !Files.exists(file);
    }

    private static Path sqliteFile(String url) {
        if (!url.startsWith("jdbc:sqlite:")) {
            return null;
        }
        String rest = url.substring("jdbc:sqlite:".length());
        int q = rest.indexOf('?');
        rest = q < 0 ? rest : rest.substring(0, q);
        return rest.isEmpty() || rest.startsWith(":") || rest.startsWith("file:") ? null : Path.of(rest);
    }

    private static String firstLine(String message) {
        String m = message == null ? "" : message.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }
}
