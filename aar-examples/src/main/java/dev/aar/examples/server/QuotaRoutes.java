package dev.aar.examples.server;

import dev.aar.core.wiring.internal.Collaborators;
import io.javalin.Javalin;
import io.javalin.http.Context;

/** The caller's organization's quota: its limits and this period's usage, or {@code unlimited: true}. */
final class QuotaRoutes implements Routes {

    private final ServerContext server;

    QuotaRoutes(ServerContext server) {
        this.server = server;
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/v1/quota", this::get);
    }

    private void get(Context ctx) {
        String org = ServerContext.owner(ctx);
        ctx.json(Collaborators.of(server.aar()).quotaService().usage(org).map(Views.QuotaView::of)
                .orElseGet(() -> Views.QuotaView.unlimited(org)));
    }
}
