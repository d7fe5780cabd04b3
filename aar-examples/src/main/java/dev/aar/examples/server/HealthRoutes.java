package dev.aar.examples.server;

import dev.aar.core.wiring.internal.Collaborators;
import dev.aar.queue.QueueStats;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code /health/live} (the process answers) and {@code /health/ready} (the database, the blob
 * store and the job queue answer): 200 with each check's status, or 503 when one is down.
 * Unauthenticated, for load balancers and orchestrators.
 */
final class HealthRoutes implements Routes {

    static final String UP = "UP";
    static final String DOWN = "DOWN";
    /** How long one check may take before it counts as down. */
    static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofSeconds(3);
    /** The blob key the storage check looks up; it never needs to exist. */
    static final String PROBE_KEY = "health/ready-probe";

    private final List<HealthCheck> checks;
    private final ExecutorService probes = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "aar-health-probe");
        t.setDaemon(true);
        return t;
    });

    HealthRoutes(ServerContext context, Duration timeout) {
        var aar = context.aar();
        var database = context.databaseProbe() != null ? context.databaseProbe()
                : (java.util.function.Supplier<String>) () -> "no database: stores are in memory";
        this.checks = List.of(
                new HealthCheck("database", database, timeout, probes),
                new HealthCheck("storage", () -> {
                    // a read round-trip through the whole stack (policy, resilience, backend)
                    Collaborators.of(aar).blobStore().stat(PROBE_KEY);
                    return "blob store answered";
                }, timeout, probes),
                new HealthCheck("queue", () -> {
                    QueueStats s = Collaborators.of(aar).jobQueue().stats();
                    return s.queued() + " queued, " + s.inFlight() + " in flight, " + s.deadLettered() + " dead-lettered";
                }, timeout, probes));
    }

    @Override
    public void register(Javalin app) {
        app.get("/health/live", ctx -> ctx.json(Map.of("status", UP)));
        app.get("/health/ready", this::ready);
        app.events(e -> e.serverStopped(probes::shutdownNow));
    }

    private void ready(Context ctx) {
        Map<String, HealthCheck.Result> results = new LinkedHashMap<>();
        boolean up = true;
        for (HealthCheck c : checks) {
            HealthCheck.Result r = c.run();
            results.put(c.name(), r);
            up &= r.up();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? UP : DOWN);
        body.put("checks", results);
        ctx.status(up ? 200 : 503).json(body);
    }
}
