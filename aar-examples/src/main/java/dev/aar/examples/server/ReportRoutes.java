package dev.aar.examples.server;

import dev.aar.core.error.NotFoundException;
import dev.aar.core.report.Report;
import dev.aar.core.report.ReportFormat;
import dev.aar.core.wiring.internal.Collaborators;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.InputStream;
import java.util.Locale;

/**
 * A report of the caller's organization as JSON, a self-contained HTML page or Markdown
 * ({@code ?format=json|html|md}), streamed from the stored rendering when the store keeps them.
 */
final class ReportRoutes implements Routes {

    /** The HTML report carries its own styles and no scripts; nothing else may load or run. */
    static final String HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

    private final ServerContext server;

    ReportRoutes(ServerContext server) {
        this.server = server;
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/v1/reports/{id}", this::get);
    }

    private void get(Context ctx) {
        ReportFormat format = format(ctx.queryParam("format"));
        String id = ctx.pathParam("id");
        Report report = server.aar().analysis().report(ServerContext.owner(ctx), id)
                .orElseThrow(() -> new NotFoundException("report", id));
        // the rendering saved with the report where the store keeps one, not a second rendering
        InputStream body = Collaborators.of(server.aar()).reportStore().rendering(report, format);
        if (format == ReportFormat.HTML) {
            ctx.header("Content-Security-Policy", HTML_POLICY);
        }
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.contentType(format.mediaType()).result(body);
    }

    static ReportFormat format(String text) {
        if (text == null || text.isBlank()) {
            return ReportFormat.JSON;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "json" -> ReportFormat.JSON;
            case "html" -> ReportFormat.HTML;
            case "md", "markdown" -> ReportFormat.MARKDOWN;
            default -> throw Problems.invalid("format must be json, html or md, was '" + text + "'");
        };
    }
}
