package dev.aar.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aar.core.Aar;
import dev.aar.core.pipeline.Housekeeping;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.ScaleLimits;
import dev.aar.examples.server.AarServer;
import dev.aar.examples.server.ApiKeyStore;
import dev.aar.examples.server.EventHub;
import dev.aar.examples.server.ServerJson;
import dev.aar.examples.server.ServerLimits;
import dev.aar.examples.wiring.Backends;
import dev.aar.jdbc.JdbcBackend;
import dev.aar.jdbc.PgProgressBridge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code aar serve}: the quick-start server with zero setup — SQLite and files under the data
 * directory, the offline embedder, workers in this process, a first API key printed once. The
 * same command joins a cluster when {@code AAR_DATABASE_URL} names a shared PostgreSQL.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Runs the HTTP API, the web page and the workers (zero setup: SQLite and files under --data).")
final class ServeCommand implements Callable<Integer> {

    /** The organization the first API key belongs to. */
    static final String DEFAULT_ORGANIZATION = "default";
    static final String DATABASE_FILE = "aar.db";
    static final String KEYS_FILE = "api-keys.json";
    /** Where multipart uploads are spooled while they arrive, owner-only. */
    static final String SPOOL_DIRECTORY = "spool";

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port; 0 picks a free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "address to listen on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "aar-data",
            description = "database, blobs, keys (default: ./${DEFAULT-VALUE})")
    Path data;

    @ArgGroup(exclusive = true)
    Role role;

    @Mixin
    ConfigOption config;

    @Mixin
    ServerLimitOptions limits;

    @Spec
    CommandSpec spec;

    /** At most one of the two role switches. */
    static final class Role {
        @Option(names = "--worker-only", description = "run workers and /health/*, /metrics only (no API)")
        boolean workerOnly;

        @Option(names = "--api-only", description = "serve the API and events, run no workers")
        boolean apiOnly;
    }

    @Override
    public Integer call() throws Exception {
        ServeNode node = start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // SIGTERM / Ctrl-C: stop taking requests, then let the workers checkpoint and release their jobs
            node.close();
            stopped.countDown();
        }, "aar-shutdown"));
        stopped.await();
        return 0;
    }

    /** Wires and starts the node, printing the banner (and, on first start, the API key) to stdout. */
    ServeNode start() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        boolean workers = role == null || !role.apiOnly;
        boolean api = role == null || !role.workerOnly;
        // private by default: the database, the blobs, the keys and the work directories live here
        DataDirectory.prepare(data, DATABASE_FILE);
        AarConfig cfg = config.load();
        ServerLimits serverLimits;
        try {
            serverLimits = limits.toServerLimits();
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }

        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
        Aar.Builder builder = Aar.builder().config(cfg).dataDirectory(data).closeWith(meters::close);
        String defaultUrl = defaultDatabaseUrl(data);
        Backends.Choice choice = Backends.apply(builder, cfg, data, defaultUrl, meters);
        builder.analyzers(Backends.analyzers(cfg, config.file));
        JdbcBackend db = choice.jdbc();
        PgProgressBridge bridge = null;
        if ("postgresql".equals(db.database())) {
            // a cluster: this node's events go to the others, theirs come to this node's SSE clients
            bridge = PgProgressBridge.builder(db).build();
            builder.listener(bridge).closeWith(bridge);
        }
        Aar aar = builder.build();
        AarServer server = null;
        try {
            Supplier<String> probe = () -> db.database() + " schema v" + db.schemaVersion();
            var json = ServerJson.create();
            ServeNode node;
            ApiKeyStore keys = null;
            if (api) {
                keys = keyStore(cfg, db, data, json);
                warnIfKeyFileIsOpen(cfg, data);
                EventHub hub = new EventHub(json);
                var subscription = aar.events().subscribe(hub);
                // issued before the server listens, so the key works as soon as anything can answer
                ApiKeyStore.Issued issued = keys.issueFirst(DEFAULT_ORGANIZATION).orElse(null);
                server = AarServer.create(aar, keys, hub, json, probe, serverLimits, data.resolve(SPOOL_DIRECTORY))
                        .start(host, port);
                node = new ServeNode(aar, server).closing(subscription);
                if (bridge != null) {
                    node.closing(bridge.subscribe(hub));
                }
                if (issued != null) {
                    printKey(out, issued.secret(), server.port(), keys.location());
                }
            } else {
                server = AarServer.createHealthOnly(aar, json, probe).start(host, port);
                node = new ServeNode(aar, server);
            }
            if (workers) {
                aar.startWorkers();
            }
            // every node: each round is idempotent, so nodes of a cluster sweeping at once only repeat each other
            aar.startHousekeeping();
            banner(out, node.port(), db, choice, cfg, api, workers, keys);
            return node;
        } catch (Exception | Error e) {
            if (server != null) {
                server.close();
            }
            aar.close();
            throw e;
        }
    }

    /**
     * The key store {@code aar serve} and {@code aar keys} share: the database's {@code api_keys}
     * table when {@code DatabaseUrl} is configured (every node sees the same keys), else the key
     * file under the data directory.
     */
    static ApiKeyStore keyStore(AarConfig cfg, JdbcBackend db, Path data, ObjectMapper json) {
        if (cfg.connections().databaseUrl() != null) {
            return ApiKeyStore.inDatabase(db.apiKeyTable(), Clock.systemUTC());
        }
        return new ApiKeyStore(data.resolve(KEYS_FILE), json, Clock.systemUTC());
    }

    /** A key file others may read is worth a loud warning at every start (stderr and the log), not a silent fix. */
    private void warnIfKeyFileIsOpen(AarConfig cfg, Path dir) {
        Path file = dir.resolve(KEYS_FILE);
        if (cfg.connections().databaseUrl() != null) {
            if (Files.exists(file)) {
                // keys issued before a database was configured do not follow it: say so rather than 401 in silence
                warn("the API keys in " + file.toAbsolutePath() + " are not used: with a configured DatabaseUrl the keys "
                        + "are in the database (table api_keys); issue keys there with aar keys create");
            }
            return;
        }
        ApiKeyStore.permissionWarning(file).ifPresent(this::warn);
    }

    private void warn(String warning) {
        PrintWriter err = spec.commandLine().getErr();
        err.println();
        err.println("WARNING: " + warning);
        err.println();
        err.flush();
        LoggerFactory.getLogger(ServeCommand.class).warn(warning);
    }

    private void printKey(PrintWriter out, String secret, int boundPort, String location) {
        out.println();
        out.println("API key for organization \"" + DEFAULT_ORGANIZATION + "\" with the approve right (shown once; only "
                + "its hash is stored, in " + location + "):");
        out.println();
        out.println("    " + secret);
        out.println();
        out.println("Paste it into the web page, or send it as a header:");
        out.println("    curl -H 'X-Api-Key: " + secret + "' http://" + displayHost() + ":" + boundPort + "/api/v1/quota");
        out.println("    java -jar aar.jar upload project.zip --server http://" + displayHost() + ":" + boundPort
                + " --key " + secret);
        out.println();
        out.flush();
    }

    private void banner(PrintWriter out, int boundPort, JdbcBackend db, Backends.Choice choice, AarConfig cfg,
            boolean api, boolean workers, ApiKeyStore keys) {
        String url = "http://" + displayHost() + ":" + boundPort + "/";
        String roles = api && workers ? "api + workers" : api ? "api only (no workers)" : "workers only (no api)";
        if (workers) {
            roles += " (" + cfg.workerProcessing().maxConcurrentJobs() + " concurrent jobs)";
        }
        out.println("AAR quick-start server");
        out.printf(Locale.ROOT, "  url:         %s%s%n", url, api ? "" : "health/ready");
        out.printf(Locale.ROOT, "  database:    %s (%s)%n", db.database(), redact(cfg.connections().databaseUrl() != null
                ? cfg.connections().databaseUrl() : defaultDatabaseUrl(data)));
        out.printf(Locale.ROOT, "  blobs:       %s%n", choice.blobs());
        out.printf(Locale.ROOT, "  embeddings:  %s%n", choice.embeddings());
        out.printf(Locale.ROOT, "  storage:     %s%n", choice.storagePolicy());
        out.printf(Locale.ROOT, "  roles:       %s%n", roles);
        out.printf(Locale.ROOT, "  events:      %s%s%n", api ? url + "hubs/analysis (SignalR; server-sent events with ?projectId=…)" : "-",
                "postgresql".equals(db.database()) ? "; shared with the other nodes over LISTEN/NOTIFY" : "");
        out.printf(Locale.ROOT, "  operations:  %shealth/live  %shealth/ready  %smetrics%n", url, url, url);
        if (keys != null) {
            out.printf(Locale.ROOT, "  api keys:    in %s; manage with: aar keys list|create|revoke|rotate%n", keys.location());
        }
        out.printf(Locale.ROOT, "  quotas:      %s%n", quotaLine(cfg.scaleLimits()));
        int retention = cfg.storagePolicy().retentionDays();
        out.printf(Locale.ROOT, "  cleanup:     every %d min: expired uploads, %s, work directories%n",
                Housekeeping.DEFAULT_INTERVAL.toMinutes(), retention == 0 ? "projects and jobs kept forever (RetentionDays 0)"
                        : "projects and finished jobs older than " + retention + " days");
        out.flush();
    }

    /** What organizations without an OrganizationQuotas row may use: said out loud when that is everything. */
    static String quotaLine(ScaleLimits limits) {
        if (limits.defaultQuotaUnlimited()) {
            return "UNLIMITED for every organization without a quota row (no ScaleLimits.DefaultMonthlyTokenLimit, "
                    + "DefaultMonthlyProjectLimit or DefaultStorageLimitBytes set): any key can fill the disk; "
                    + "set a default or run: aar quota set ORG --tokens N --projects N --storage SIZE";
        }
        return "default per organization without a row: " + limit(limits.defaultMonthlyTokenLimit(), " tokens/month")
                + ", " + limit(limits.defaultMonthlyProjectLimit(), " projects/month") + ", "
                + (limits.defaultStorageLimitBytes() == 0 ? "unlimited storage"
                        : QuotaCommand.size(limits.defaultStorageLimitBytes()) + " storage")
                + "; per organization: aar quota set ORG";
    }

    private static String limit(long value, String unit) {
        return value == 0 ? "unlimited" + unit : value + unit;
    }

    /** The quick start's own database when {@code DatabaseUrl} is unset: SQLite in the data directory. */
    static String defaultDatabaseUrl(Path data) {
        return "jdbc:sqlite:" + data.resolve(DATABASE_FILE).toAbsolutePath();
    }

    private String displayHost() {
        return "0.0.0.0".equals(host) ? "localhost" : host;
    }

    /** Drops the query string, which may hold a password. */
    static String redact(String jdbcUrl) {
        int q = jdbcUrl.indexOf('?');
        return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q) + "?…";
    }
}
