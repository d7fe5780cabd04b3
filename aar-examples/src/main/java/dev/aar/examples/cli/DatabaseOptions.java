package dev.aar.examples.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The database options of {@code aar db}: which database, found the way {@code aar serve} finds it. */
final class DatabaseOptions {

    @Option(names = "--database-url", paramLabel = "URL",
            description = "jdbc:postgresql:… or jdbc:sqlite:FILE (default: Connections.DatabaseUrl / $AAR_DATABASE_URL, "
                    + "else aar serve's SQLite file under --data)")
    String url;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "aar-data",
            description = "aar serve's data directory, for its default SQLite database (default: ./${DEFAULT-VALUE})")
    Path data;

    /** Returns {@code --database-url}, else the configured URL, else the SQLite file {@code aar serve --data DIR} uses. */
    String url(ConfigOption config) {
        if (url != null) {
            return url;
        }
        String configured = config.load().connections().databaseUrl();
        return configured != null ? configured : ServeCommand.defaultDatabaseUrl(data);
    }

    /** Returns whether a database was named ({@code --database-url} or the configuration), not just the quick start's default. */
    boolean configured(ConfigOption config) {
        return url != null || config.load().connections().databaseUrl() != null;
    }
}
