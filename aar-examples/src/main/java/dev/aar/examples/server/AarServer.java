package dev.aar.examples.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aar.core.Aar;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The quick-start HTTP server over a wired {@link Aar}: {@code /api/v1/...} behind {@code X-Api-Key},
 * server-sent events and the SignalR hub at {@code /hubs/analysis}, health checks, metrics and the
 * web page at {@code /}.
 */
public final class AarServer implements AutoCloseable {

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
        Javalin app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.jsonMapper(new JavalinJackson(json, false));
            cfg.http.maxRequestSize = context.limits().maxJsonBytes();
            if (api) {
                cfg.staticFiles.add(s -> {
                    s.hostedPath = "/";
                    s.directory = "/web";
                    s.location = Location.CLASSPATH;
                });
            }
        });
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

    /** Creates the server with every route group. */
    public static AarServer create(Aar aar, ApiKeyStore keys, EventHub hub, ObjectMapper json,
            java.util.function.Supplier<String> databaseProbe) {
        ServerContext ctx = new ServerContext(aar, keys, hub, json, java.time.Clock.systemUTC(), ServerLimits.defaults(),
                databaseProbe);
        return create(ctx, ServerRoutes.withEvents(ctx));
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

    /** Returns the port it listens on. */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
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
            routes.add(new OpenApiRoutes());
            return routes;
        }
    }
}
