package dev.aar.examples.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aar.core.Aar;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.util.BlockingArrayQueue;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import jakarta.servlet.DispatcherType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

/**
 * The quick-start HTTP server over a wired {@link Aar}: {@code /api/v1/...} behind {@code X-Api-Key},
 * server-sent events and the SignalR hub at {@code /hubs/analysis}, health checks, metrics and the
 * web page at {@code /}.
 */
public final class AarServer implements AutoCloseable {

    /**
     * How long stopping waits for request threads before it interrupts them (the server itself keeps
     * Jetty's non-graceful stop: a graceful one would wait, then throw, for clients' idle keep-alive connections).
     */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    static final int MIN_THREADS = 8;
    static final Duration POOL_IDLE = Duration.ofSeconds(60);

    private final Javalin app;
    private final ServerContext context;

    private AarServer(Javalin app, ServerContext context) {
        this.app = app;
        this.context = context;
    }

    /** Creates the server (not started) for {@code context}. */
    static AarServer create(ServerContext context, List<Routes> routes) {
        return create(context, routes, true);
    }

    /** Creates the server; without {@code api} it has neither authentication nor the web page. */
    static AarServer create(ServerContext context, List<Routes> routes, boolean api) {
        ObjectMapper json = context.json();
        KeyRateLimiter limiter = new KeyRateLimiter(context.limits().requestsPerSecond(), context.limits().burst(),
                context.clock());
        Auth auth = api ? new Auth(context.keys(), limiter) : null;
        ServerLimits limits = context.limits();
        BodyLimitFilter bodies = new BodyLimitFilter(limits,
                () -> context.aar().config().scaleLimits().maxUploadSizeBytes());
        Javalin app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.jsonMapper(new JavalinJackson(json, false));
            // Javalin compares only Content-Length with this; BodyLimitFilter holds every body while it is read
            cfg.http.maxRequestSize = limits.maxJsonBytes();
            cfg.jetty.threadPool = threadPool(limits);
            // while a request is handled (its body read, its answer written) and between requests alike
            cfg.jetty.modifyHttpConfiguration(http -> http.setIdleTimeout(limits.idleTimeout().toMillis()));
            cfg.jetty.modifyServletContextHandler(handler -> handler.addFilter(new FilterHolder(bodies), "/*",
                    EnumSet.of(DispatcherType.REQUEST)));
            if (api) {
                cfg.staticFiles.add(s -> {
                    s.hostedPath = "/";
                    s.directory = "/web";
                    s.location = Location.CLASSPATH;
                });
            }
        });
        app.events(e -> e.serverStarting(() -> {
            // Javalin adds its connector just before this event: idle connections and slow headers are cut too
            for (Connector c : app.jettyServer().server().getConnectors()) {
                if (c instanceof AbstractConnector connector) {
                    connector.setIdleTimeout(limits.idleTimeout().toMillis());
                }
            }
        }));
        if (api) {
            app.before("/api/*", auth::check);
            app.before("/hubs/*", auth::check);
            app.wsBeforeUpgrade("/hubs/*", auth::check);
        }
        Problems.register(app);
        for (Routes r : routes) {
            r.register(app);
        }
        return new AarServer(app, context);
    }

    /** Creates the server with every route group and the default {@link ServerLimits}; multipart uploads spool to a private directory in java.io.tmpdir. */
    public static AarServer create(Aar aar, ApiKeyStore keys, EventHub hub, ObjectMapper json,
            java.util.function.Supplier<String> databaseProbe) {
        return create(aar, keys, hub, json, databaseProbe, ServerLimits.defaults(), null);
    }

    /**
     * Creates the server with every route group and the given limits; multipart uploads spool to
     * {@code spoolDirectory} (created, or made, owner-only), normally under the data directory, or to a
     * private directory in java.io.tmpdir when it is null.
     */
    public static AarServer create(Aar aar, ApiKeyStore keys, EventHub hub, ObjectMapper json,
            java.util.function.Supplier<String> databaseProbe, ServerLimits limits, java.nio.file.Path spoolDirectory) {
        ServerContext ctx = new ServerContext(aar, keys, hub, json, java.time.Clock.systemUTC(), limits, databaseProbe,
                spoolDirectory == null ? null : SpoolDirectory.prepare(spoolDirectory));
        return create(ctx, ServerRoutes.withEvents(ctx));
    }

    /**
     * A bounded pool with a bounded queue: past {@code maxThreads} busy threads and
     * {@code maxQueuedRequests} waiting jobs, Jetty closes new connections instead of queueing
     * without end.
     */
    static QueuedThreadPool threadPool(ServerLimits limits) {
        int queue = limits.maxQueuedRequests();
        QueuedThreadPool pool = new QueuedThreadPool(limits.maxThreads(), MIN_THREADS, (int) POOL_IDLE.toMillis(),
                new BlockingArrayQueue<>(Math.min(queue, 64), 64, queue));
        pool.setName("aar-http");
        pool.setStopTimeout(STOP_TIMEOUT.toMillis());
        return pool;
    }

    /**
     * Creates a server with only {@code /health/*} and {@code /metrics}, for a node that runs
     * workers and serves no API.
     */
    public static AarServer createHealthOnly(Aar aar, ObjectMapper json, java.util.function.Supplier<String> databaseProbe) {
        ServerContext ctx = new ServerContext(aar, null, null, json, java.time.Clock.systemUTC(), ServerLimits.defaults(),
                databaseProbe);
        return create(ctx, ServerRoutes.operations(ctx), false);
    }

    /** Starts listening on {@code port} (0 picks a free port). */
    public AarServer start(String host, int port) {
        app.start(host, port);
        return this;
    }

    /** What the routes share (for tests). */
    ServerContext context() {
        return context;
    }

    /** Returns the port it listens on. */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
        context.expensive().close();
        if (context.hub() != null) {
            context.hub().close();
        }
    }

    /** Every route group of the quick-start server, in registration order. */
    static final class ServerRoutes {
        private ServerRoutes() {
        }

        /** The API's routes, then the event stream, health checks and metrics. */
        static List<Routes> withEvents(ServerContext ctx) {
            List<Routes> routes = all(ctx);
            SignalRRoutes signalR = new SignalRRoutes(ctx);
            routes.add(signalR);
            routes.add(new HubRoutes(ctx, signalR));
            routes.addAll(operations(ctx));
            return routes;
        }

        /** The routes every node serves, API or not: health checks and metrics. */
        static List<Routes> operations(ServerContext ctx) {
            List<Routes> routes = new ArrayList<>();
            routes.add(new HealthRoutes(ctx, HealthRoutes.DEFAULT_CHECK_TIMEOUT));
            MetricsRoutes.of(ctx.aar().meterRegistry()).ifPresent(routes::add);
            return routes;
        }

        static List<Routes> all(ServerContext ctx) {
            Objects.requireNonNull(ctx, "ctx");
            List<Routes> routes = new ArrayList<>();
            routes.add(new PreflightRoutes(ctx));
            routes.add(new UploadRoutes(ctx));
            routes.add(new ProjectRoutes(ctx));
            routes.add(new JobRoutes(ctx));
            routes.add(new ReportRoutes(ctx));
            routes.add(new DeadLetterRoutes(ctx));
            routes.add(new QuotaRoutes(ctx));
            routes.add(new StatsRoutes(ctx));
            routes.add(new OpenApiRoutes());
            return routes;
        }
    }
}
