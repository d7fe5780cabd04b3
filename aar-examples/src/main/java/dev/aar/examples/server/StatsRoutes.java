package dev.aar.examples.server;

import io.javalin.Javalin;
import io.javalin.http.Context;

/**
 * What preflight's time estimates are based on: medians of recently finished jobs (rates per phase,
 * embedding rate per model, how far off past estimates were) and the cold-start model. It holds no
 * organization's data, only rates, so every key may read it.
 */
final class StatsRoutes implements Routes {

    private final ServerContext server;

    StatsRoutes(ServerContext server) {
        this.server = server;
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/v1/stats/throughput", this::throughput);
    }

    private void throughput(Context ctx) {
        ctx.json(server.aar().analysis().throughput());
    }
}
