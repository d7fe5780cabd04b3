package dev.aar.examples.server;

import io.javalin.Javalin;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;

/**
 * {@code GET /metrics} — the SDK's meters in the Prometheus text format ({@code aar_jobs_queued_total},
 * {@code aar_jobs_duration_seconds_bucket}, {@code aar_queue_length}, ...). Unauthenticated, like
 * most scrape endpoints: keep the port off the public internet or put it behind the proxy's auth.
 */
final class MetricsRoutes implements Routes {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    private MetricsRoutes(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    /** Returns the routes when the SDK records into a Prometheus registry (directly or in a composite). */
    static Optional<Routes> of(MeterRegistry registry) {
        return find(registry).map(MetricsRoutes::new);
    }

    private static Optional<PrometheusMeterRegistry> find(MeterRegistry registry) {
        if (registry instanceof PrometheusMeterRegistry p) {
            return Optional.of(p);
        }
        if (registry instanceof CompositeMeterRegistry c) {
            return c.getRegistries().stream().map(MetricsRoutes::find).flatMap(Optional::stream).findFirst();
        }
        return Optional.empty();
    }

    @Override
    public void register(Javalin app) {
        app.get("/metrics", ctx -> ctx.contentType(CONTENT_TYPE).result(registry.scrape()));
    }
}
