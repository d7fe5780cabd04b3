package dev.aar.examples.cli;

import dev.aar.examples.server.ApiKey;
import dev.aar.examples.server.ApiKeyStore;
import dev.aar.examples.server.ServerJson;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aar keys list|create|revoke|rotate}: the API keys of {@code aar serve}, in the configured
 * database (every node sees a change at once) or, without one, in the key file under the data
 * directory (a running server re-reads it when it changes). Secrets are shown once, at create and
 * rotate; only their hashes are stored.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = {"Lists, creates, revokes or rotates the API keys of aar serve.",
            "Keys live in the configured database (--database-url, Connections.DatabaseUrl, $AAR_DATABASE_URL), "
                    + "else in DIR/api-keys.json (--data DIR); running servers see a change on their next request."},
        subcommands = {KeysCommand.ListKeys.class, KeysCommand.Create.class, KeysCommand.Revoke.class,
            KeysCommand.Rotate.class})
final class KeysCommand implements Runnable {

    /** The schema version that brings the {@code api_keys} table. */
    static final int KEYS_SCHEMA_VERSION = 6;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** What every {@code aar keys} subcommand takes: where the keys are. */
    abstract static class Subcommand implements Callable<Integer> {
        @Mixin
        DatabaseOptions database;

        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try {
                validate(); // before the store is opened: a refused argument is exit 2, not a database failure
                if (!database.configured(config)) {
                    ApiKeyStore keys = new ApiKeyStore(database.data.resolve(ServeCommand.KEYS_FILE), ServerJson.create(),
                            Clock.systemUTC());
                    int code = run(keys, spec.commandLine().getOut());
                    ApiKeyStore.permissionWarning(database.data.resolve(ServeCommand.KEYS_FILE))
                            .ifPresent(w -> err.println("aar: WARNING: " + w));
                    return code;
                }
                return DbCommand.withDatabase(spec, database.url(config), false, (db, url, out) -> {
                    int version = db.schemaVersion();
                    if (version < KEYS_SCHEMA_VERSION) {
                        err.printf(Locale.ROOT, "aar: the database is at schema version %d; API keys need version %d: "
                                + "run aar db migrate (or start aar serve of this release)%n", version, KEYS_SCHEMA_VERSION);
                        return AarCli.EXIT_REFUSED;
                    }
                    return run(ApiKeyStore.inDatabase(db.apiKeyTable(), Clock.systemUTC()), out);
                });
            } catch (IllegalArgumentException e) {
                err.println("aar: " + e.getMessage());
                return AarCli.EXIT_REFUSED;
            } finally {
                spec.commandLine().getOut().flush();
                err.flush();
            }
        }

        /** Checks the arguments; throws IllegalArgumentException naming the bad one. */
        void validate() {
        }

        /** Does the subcommand's work on the opened key store; returns the exit code. */
        abstract int run(ApiKeyStore keys, PrintWriter out);

        int refuse(String message) {
            spec.commandLine().getErr().println("aar: " + message);
            return AarCli.EXIT_REFUSED;
        }
    }

    /** {@code aar keys list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists every key (never a secret): id, organization, name, rights, created, last used, status.")
    static final class ListKeys extends Subcommand {
        @Option(names = "--json", description = "print JSON")
        boolean asJson;

        @Override
        int run(ApiKeyStore keys, PrintWriter out) {
            List<ApiKey> all = keys.list();
            Instant now = Instant.now();
            if (asJson) {
                List<java.util.Map<String, Object>> rows = new ArrayList<>();
                for (ApiKey k : all) {
                    java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
                    row.put("id", k.id());
                    row.put("organizationId", k.organizationId());
                    row.put("name", k.name());
                    row.put("rights", new TreeSet<>(k.rights()));
                    row.put("createdAt", String.valueOf(k.createdAt()));
                    row.put("lastUsedAt", k.lastUsedAt() == null ? null : k.lastUsedAt().toString());
                    row.put("revokedAt", k.revokedAt() == null ? null : k.revokedAt().toString());
                    row.put("status", status(k, now));
                    rows.add(row);
                }
                try {
                    out.println(ServerJson.create().writerWithDefaultPrettyPrinter().writeValueAsString(rows));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
                return 0;
            }
            if (all.isEmpty()) {
                out.println("no API keys in " + keys.location() + " (aar serve issues the first one when it starts)");
                return 0;
            }
            String format = "%-36s  %-16s  %-24s  %-8s  %-20s  %-20s  %s%n";
            out.printf(Locale.ROOT, format, "ID", "ORGANIZATION", "NAME", "RIGHTS", "CREATED", "LAST USED", "STATUS");
            for (ApiKey k : all) {
                out.printf(Locale.ROOT, format, k.id(), k.organizationId(), k.name(),
                        k.rights().isEmpty() ? "-" : String.join(",", new TreeSet<>(k.rights())), time(k.createdAt()),
                        k.lastUsedAt() == null ? "never" : time(k.lastUsedAt()), status(k, now));
            }
            return 0;
        }

        private static String status(ApiKey k, Instant now) {
            if (k.revokedAt() == null) {
                return "active";
            }
            return k.isRevokedAt(now) ? "revoked " + time(k.revokedAt()) : "active until " + time(k.revokedAt());
        }
    }

    /** {@code aar keys create ORG}. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Issues a key for an organization and prints its secret once.")
    static final class Create extends Subcommand {
        @Parameters(index = "0", paramLabel = "ORG", description = "the organization the key acts for")
        String organization;

        @Option(names = "--name", paramLabel = "NAME", description = "a label (who or what uses the key)")
        String name;

        @Option(names = "--right", paramLabel = "RIGHT",
                description = "a right to grant, repeatable: approve (approve projects above the auto-approval thresholds)")
        List<String> rights = new ArrayList<>();

        @Override
        void validate() {
            for (String r : rights) {
                if (!ApiKey.RIGHTS.contains(r)) {
                    throw new IllegalArgumentException("unknown right '" + r + "'; known: " + new TreeSet<>(ApiKey.RIGHTS));
                }
            }
            if (organization.isBlank() || organization.length() > 100) {
                throw new IllegalArgumentException("the organization must be 1 to 100 characters");
            }
        }

        @Override
        int run(ApiKeyStore keys, PrintWriter out) {
            ApiKeyStore.Issued issued = keys.issue(organization, name == null ? "" : name, rights);
            printSecret(out, issued, "created key " + issued.key().id() + " for organization \"" + organization + "\"");
            return 0;
        }
    }

    /** {@code aar keys revoke ID}. */
    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revokes a key: every server refuses it (401) from its next request on.")
    static final class Revoke extends Subcommand {
        @Parameters(index = "0", paramLabel = "ID", description = "the key's id (see aar keys list)")
        String id;

        @Override
        int run(ApiKeyStore keys, PrintWriter out) {
            if (!keys.revoke(id)) {
                return refuse("no API key with id " + id + " (see aar keys list)");
            }
            out.println("revoked key " + id);
            return 0;
        }
    }

    /** {@code aar keys rotate ID [--grace DURATION]}. */
    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Issues a new secret with the same organization, name and rights, and revokes the old one "
                    + "(at once, or after --grace).")
    static final class Rotate extends Subcommand {
        @Parameters(index = "0", paramLabel = "ID", description = "the key's id (see aar keys list)")
        String id;

        @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "0",
                description = "how long the old secret keeps working: 0 (default), 30m, 12h, 7d or ISO-8601 (PT1H)")
        String grace;

        private Duration period;

        @Override
        void validate() {
            period = duration(grace);
        }

        @Override
        int run(ApiKeyStore keys, PrintWriter out) {
            var issued = keys.rotate(id, period);
            if (issued.isEmpty()) {
                return refuse("no API key with id " + id + " (see aar keys list)");
            }
            printSecret(out, issued.get(), "rotated key " + id + " into " + issued.get().key().id() + "; the old secret "
                    + (period.isZero() ? "is revoked" : "works until " + time(Instant.now().plus(period))));
            return 0;
        }
    }

    private static void printSecret(PrintWriter out, ApiKeyStore.Issued issued, String what) {
        out.println(what);
        out.println("rights: " + (issued.key().rights().isEmpty() ? "none" : String.join(",", new TreeSet<>(issued.key().rights()))));
        out.println("secret (shown once; only its hash is stored):");
        out.println();
        out.println("    " + issued.secret());
        out.println();
    }

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})\\s*([smhd])");

    /** Parses {@code 0}, {@code 90s}, {@code 30m}, {@code 12h}, {@code 7d} or an ISO-8601 duration. */
    static Duration duration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = SHORT_DURATION.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            Duration d = Duration.parse(text.strip());
            if (d.isNegative()) {
                throw new IllegalArgumentException("--grace must not be negative, was '" + text + "'");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--grace must be 0, a number with s, m, h or d (30m, 12h, 7d) or an "
                    + "ISO-8601 duration (PT1H), was '" + text + "'");
        }
    }

    private static String time(Instant t) {
        return t == null ? "-" : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
