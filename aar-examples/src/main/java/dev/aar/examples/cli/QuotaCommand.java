package dev.aar.examples.cli;

import dev.aar.core.config.AarConfig;
import dev.aar.core.config.ScaleLimits;
import dev.aar.core.quota.OrganizationQuota;
import dev.aar.core.quota.QuotaLimits;
import dev.aar.core.quota.QuotaService;
import dev.aar.core.quota.QuotaStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
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
 * {@code aar quota show|set ORG}: an organization's row of the spec's {@code OrganizationQuotas}
 * in the database {@code aar serve} uses, written through the {@link QuotaStore} SPI. Every node
 * reads the row on each reservation, so a change counts at once.
 */
@Command(name = "quota", mixinStandardHelpOptions = true,
        description = {"Shows or sets an organization's quota (OrganizationQuotas) in the database aar serve uses.",
            "Organizations without a row get ScaleLimits.DefaultMonthlyTokenLimit / DefaultMonthlyProjectLimit / "
                    + "DefaultStorageLimitBytes (0 = unlimited)."},
        subcommands = {QuotaCommand.Show.class, QuotaCommand.Set.class})
final class QuotaCommand implements Runnable {

    static final String UNLIMITED = "unlimited";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** What both subcommands take: the organization and which database. */
    abstract static class Subcommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ORG", description = "the organization (as its API keys name it)")
        String organization;

        @Mixin
        DatabaseOptions database;

        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            if (organization.isBlank() || organization.length() > 100) {
                err.println("aar: the organization must be 1 to 100 characters");
                return AarCli.EXIT_REFUSED;
            }
            AarConfig cfg = config.load();
            ScaleLimits limits = cfg.scaleLimits();
            QuotaLimits defaults = QuotaLimits.ofConfigured(limits.defaultMonthlyTokenLimit(),
                    limits.defaultMonthlyProjectLimit(), limits.defaultStorageLimitBytes());
            try {
                validate(); // before the database is opened: a refused argument is exit 2, not a database failure
                return DbCommand.withDatabase(spec, database.url(config), writes(), (db, url, out) -> {
                    if (db.schemaVersion() < 1) {
                        if (!writes()) {
                            show(out, Optional.empty(), defaults);
                            return 0;
                        }
                        db.migrate(); // a quick start that never ran: the same tables aar serve would make
                    }
                    QuotaStore store = db.quotaStore();
                    return run(new QuotaService(store, Clock.systemUTC(), defaults), store, defaults, out);
                });
            } catch (IllegalArgumentException e) {
                err.println("aar: " + e.getMessage());
                return AarCli.EXIT_REFUSED;
            }
        }

        /** Checks the arguments; throws IllegalArgumentException naming the bad one. */
        void validate() {
        }

        /** Whether the subcommand changes the database (then a missing SQLite file is created). */
        abstract boolean writes();

        abstract int run(QuotaService quotas, QuotaStore store, QuotaLimits defaults, PrintWriter out);

        void show(PrintWriter out, Optional<OrganizationQuota> row, QuotaLimits defaults) {
            out.printf(Locale.ROOT, "organization:  %s%n", organization);
            if (row.isEmpty()) {
                out.printf(Locale.ROOT, "row:           none; the default applies%s%n",
                        defaults.isUnlimited() ? " (unlimited: no ScaleLimits.Default…Limit is set)" : "");
                out.printf(Locale.ROOT, "tokens:        0 of %s this month%n", count(defaults.monthlyTokenLimit()));
                out.printf(Locale.ROOT, "projects:      0 of %s this month%n", count(defaults.monthlyProjectLimit()));
                out.printf(Locale.ROOT, "storage:       0 B of %s%n", bytes(defaults.storageLimitBytes()));
                return;
            }
            OrganizationQuota q = row.get();
            out.printf(Locale.ROOT, "row:           yes (updated %s)%n", q.updatedAt());
            out.printf(Locale.ROOT, "tokens:        %d of %s this month%n", q.monthlyTokensUsed(), count(q.monthlyTokenLimit()));
            out.printf(Locale.ROOT, "projects:      %d of %s this month%n", q.monthlyProjectsUsed(),
                    count(q.monthlyProjectLimit()));
            out.printf(Locale.ROOT, "storage:       %s of %s%n", size(q.storageUsedBytes()), bytes(q.storageLimitBytes()));
            out.printf(Locale.ROOT, "period start:  %s%n", q.periodStart());
        }
    }

    /** {@code aar quota show ORG}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Shows the organization's limits and this month's usage (or the default, without a row).")
    static final class Show extends Subcommand {
        @Override
        boolean writes() {
            return false;
        }

        @Override
        int run(QuotaService quotas, QuotaStore store, QuotaLimits defaults, PrintWriter out) {
            // the store's row says whether one exists; the service reads its monthly counters as of now
            show(out, store.find(organization).flatMap(r -> quotas.usage(organization)), defaults);
            return 0;
        }
    }

    /** {@code aar quota set ORG [--tokens N] [--projects N] [--storage SIZE]}. */
    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Creates or changes the organization's row; usage is kept. A limit not given keeps its "
                    + "value (or, for a new row, the default).", "Each value may be 'unlimited'."})
    static final class Set extends Subcommand {
        @Option(names = "--tokens", paramLabel = "N", description = "embedding tokens per month (MonthlyTokenLimit)")
        String tokens;

        @Option(names = "--projects", paramLabel = "N", description = "analyses per month (MonthlyProjectLimit)")
        String projects;

        @Option(names = "--storage", paramLabel = "SIZE",
                description = "stored bytes (StorageLimitBytes): 500MiB, 10GiB, 2GB, 1048576")
        String storage;

        private Long tokenLimit;
        private Integer projectLimit;
        private Long storageLimit;

        @Override
        boolean writes() {
            return true;
        }

        @Override
        void validate() {
            if (tokens == null && projects == null && storage == null) {
                throw new IllegalArgumentException("give at least one of --tokens, --projects, --storage");
            }
            tokenLimit = tokens == null ? null : whole("--tokens", tokens, QuotaLimits.UNLIMITED_TOKENS);
            if (projects != null) {
                long p = whole("--projects", projects, QuotaLimits.UNLIMITED_PROJECTS);
                if (p > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("--projects must be at most " + Integer.MAX_VALUE + " or 'unlimited', was "
                            + projects);
                }
                projectLimit = (int) p;
            }
            storageLimit = storage == null ? null : parseSize(storage);
        }

        @Override
        int run(QuotaService quotas, QuotaStore store, QuotaLimits defaults, PrintWriter out) {
            Optional<OrganizationQuota> row = store.find(organization);
            long t = tokenLimit != null ? tokenLimit
                    : row.map(OrganizationQuota::monthlyTokenLimit).orElse(defaults.monthlyTokenLimit());
            int p = projectLimit != null ? projectLimit
                    : row.map(OrganizationQuota::monthlyProjectLimit).orElse(defaults.monthlyProjectLimit());
            long s = storageLimit != null ? storageLimit : row.map(OrganizationQuota::storageLimitBytes)
                    .orElse(defaults.storageLimitBytes());
            quotas.setLimits(organization, t, p, s);
            out.println((row.isEmpty() ? "created" : "changed") + " the quota of organization \"" + organization + "\"");
            show(out, quotas.usage(organization), defaults);
            return 0;
        }
    }

    private static long whole(String option, String text, long unlimited) {
        String t = text.strip();
        if (t.equalsIgnoreCase(UNLIMITED)) {
            return unlimited;
        }
        try {
            long v = Long.parseLong(t.replace("_", ""));
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number >= 0 or 'unlimited', was '" + text + "'");
        }
    }

    private static final Pattern SIZE = Pattern.compile("(\\d{1,19})\\s*(b|kb|mb|gb|tb|kib|mib|gib|tib|k|m|g|t)?");

    /** Parses {@code 1048576}, {@code 500MiB}, {@code 2GB} (1000-based), {@code 10G} (1024-based) or {@code unlimited}. */
    static long parseSize(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals(UNLIMITED)) {
            return QuotaLimits.UNLIMITED_STORAGE;
        }
        Matcher m = SIZE.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("--storage must be a size such as 1048576, 500MiB, 10GiB, 2GB or "
                    + "'unlimited', was '" + text + "'");
        }
        long unit = switch (m.group(2) == null ? "b" : m.group(2)) {
            case "b" -> 1;
            case "kb" -> 1000L;
            case "mb" -> 1000L * 1000;
            case "gb" -> 1000L * 1000 * 1000;
            case "tb" -> 1000L * 1000 * 1000 * 1000;
            case "k", "kib" -> 1L << 10;
            case "m", "mib" -> 1L << 20;
            case "g", "gib" -> 1L << 30;
            default -> 1L << 40;
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("--storage is too large: '" + text + "'");
        }
    }

    private static String count(long limit) {
        return limit == QuotaLimits.UNLIMITED_TOKENS ? UNLIMITED : Long.toString(limit);
    }

    private static String count(int limit) {
        return limit == QuotaLimits.UNLIMITED_PROJECTS ? UNLIMITED : Integer.toString(limit);
    }

    private static String bytes(long limit) {
        return limit == QuotaLimits.UNLIMITED_STORAGE ? UNLIMITED : size(limit);
    }

    /** Formats a byte count for people: {@code 512 B}, {@code 1.5 MiB}, {@code 10.0 GiB} (and the exact count). */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s (%d bytes)", v, units[u], bytes);
    }
}
