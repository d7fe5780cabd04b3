package dev.aar.examples.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aar.core.pipeline.AnalysisService;
import dev.aar.core.project.Project;
import dev.aar.queue.Job;
import dev.aar.queue.JobPriority;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;

/**
 * Projects of the caller's organization: create one from a finalized upload session or a direct
 * upload (streamed to the blob store), list and read them, queue an analysis, list the reports.
 */
final class ProjectRoutes implements Routes {

    /** The name of a directly uploaded project when the request gives none. */
    static final String DEFAULT_NAME = "upload.zip";

    private final ServerContext server;

    ProjectRoutes(ServerContext server) {
        this.server = server;
    }

    @Override
    public void register(Javalin app) {
        app.post("/api/v1/projects", this::createFromSession);
        app.post("/api/v1/projects/upload", this::upload);
        app.get("/api/v1/projects", this::list);
        app.get("/api/v1/projects/{id}", this::get);
        app.post("/api/v1/projects/{id}/analyses", this::analyze);
        app.get("/api/v1/projects/{id}/reports", this::reports);
    }

    private AnalysisService analysis() {
        return server.aar().analysis();
    }

    private void createFromSession(Context ctx) {
        JsonNode body = JsonBodies.object(ctx, server.json(), server.limits().maxJsonBytes(), false);
        String session = JsonBodies.text(body, "uploadSessionId", true);
        String name = JsonBodies.text(body, "name", false);
        created(ctx, analysis().createProjectFromUpload(ServerContext.owner(ctx), session, name));
    }

    private void upload(Context ctx) throws IOException {
        Project project;
        try (UploadSlots.Slot slot = server.uploadSlots().acquire(ctx)) {
            ArchiveBody body = ArchiveBody.open(ctx, server.aar().config().scaleLimits().maxUploadSizeBytes(),
                        server.uploadSpool());
            String name = firstNonBlank(ctx.queryParam("name"), body.fileName(), DEFAULT_NAME);
            try (InputStream in = body.stream()) {
                // a raw body's Content-Length is checked against the storage quota before any byte is read
                long declared = body.fileName() == null ? ctx.req().getContentLengthLong() : -1;
                project = analysis().createProject(ServerContext.owner(ctx), name, in, declared);
            }
        }
        created(ctx, project);
    }

    private void list(Context ctx) {
        ctx.json(new Views.Items<>(analysis().projects(ServerContext.owner(ctx)).stream().map(Views.ProjectView::of).toList()));
    }

    private void get(Context ctx) {
        ctx.json(Views.ProjectView.of(analysis().project(ServerContext.owner(ctx), ctx.pathParam("id"))));
    }

    private void analyze(Context ctx) {
        JsonNode body = JsonBodies.object(ctx, server.json(), server.limits().maxJsonBytes(), true);
        JsonNode p = body.get("priority");
        JobPriority priority;
        if (p == null || p.isNull()) {
            priority = JobPriority.NORMAL;
        } else if (p.isTextual() || p.isIntegralNumber()) {
            priority = JobPriority.parse(p.asText()); // IllegalArgumentException → 400 request.invalid
        } else {
            throw Problems.invalid("'priority' must be one of Low, Normal, High, Critical, was " + p);
        }
        String projectId = ctx.pathParam("id");
        // submission may preflight the stored archive (once: the result is cached), so it is bulkheaded like preflight
        Job job = server.expensive().run(ctx, c -> analysis().submit(ServerContext.owner(ctx), projectId, priority));
        ctx.status(HttpStatus.ACCEPTED).header("Location", "/api/v1/jobs/" + job.id())
                .json(Views.AnalysisAccepted.of(job, projectId));
    }

    private void reports(Context ctx) {
        ctx.json(new Views.Items<>(analysis().reports(ServerContext.owner(ctx), ctx.pathParam("id")).stream()
                .map(Views.ReportSummary::of).toList()));
    }

    private static void created(Context ctx, Project project) {
        ctx.status(HttpStatus.CREATED).header("Location", "/api/v1/projects/" + project.id())
                .json(Views.ProjectView.of(project));
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        throw new IllegalStateException("no default given");
    }
}
