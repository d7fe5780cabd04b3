package dev.aar.examples.server;

import dev.aar.core.error.NotFoundException;
import dev.aar.core.wiring.internal.Collaborators;
import dev.aar.queue.Job;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

/** Analysis jobs of the caller's organization: read one's state (and its report id once done) or cancel it. */
final class JobRoutes implements Routes {

    private final ServerContext server;

    JobRoutes(ServerContext server) {
        this.server = server;
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/v1/jobs/{id}", this::get);
        app.post("/api/v1/jobs/{id}/cancel", this::cancel);
    }

    private void get(Context ctx) {
        ctx.json(view(owned(ctx)));
    }

    private void cancel(Context ctx) {
        String id = ctx.pathParam("id");
        boolean cancelled = server.aar().analysis().cancel(ServerContext.owner(ctx), id); // 404s for unknown / other org
        Job job = Collaborators.of(server.aar()).jobQueue().find(id).orElseThrow(() -> new NotFoundException("job", id));
        if (!cancelled) {
            throw new Problems.HttpProblem(HttpStatus.CONFLICT, "job.already_ended",
                    "job " + id + " is " + Views.pascal(job.state()) + " and cannot be cancelled");
        }
        ctx.json(view(job));
    }

    private Job owned(Context ctx) {
        String id = ctx.pathParam("id");
        return server.aar().analysis().job(ServerContext.owner(ctx), id).orElseThrow(() -> new NotFoundException("job", id));
    }

    private Views.JobView view(Job job) {
        return Views.JobView.of(job, Payloads.field(server.json(), job, "projectId"));
    }
}
