package dev.aar.examples.server;

import dev.aar.core.error.NotFoundException;
import dev.aar.core.wiring.internal.Collaborators;
import dev.aar.queue.Job;
import dev.aar.queue.JobQueue;
import dev.aar.queue.JobState;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Map;

/**
 * The dead-letter queue, seen through the caller's organization: list its dead-lettered jobs and
 * move one or all of them back to the queue. Jobs of other organizations are invisible: the queue
 * lists and re-drives by owner ({@link JobQueue#deadLetters(String, int)}, indexed in SQL), so no
 * number of other organizations' dead letters hides the caller's.
 */
final class DeadLetterRoutes implements Routes {

    /** Jobs listed when the request gives no {@code limit}. */
    static final int DEFAULT_LIMIT = 100;
    /** Largest {@code limit} accepted. */
    static final int MAX_LIMIT = 1_000;

    private final ServerContext server;

    DeadLetterRoutes(ServerContext server) {
        this.server = server;
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/v1/deadletters", this::list);
        app.post("/api/v1/deadletters/redrive", this::redriveAll);
        app.post("/api/v1/deadletters/{id}/redrive", this::redrive);
    }

    private JobQueue queue() {
        return Collaborators.of(server.aar()).jobQueue();
    }

    private void list(Context ctx) {
        int limit = limit(ctx.queryParam("limit"));
        String owner = ServerContext.owner(ctx);
        ctx.json(new Views.Items<>(queue().deadLetters(owner, limit).stream()
                .map(j -> Views.JobView.of(j, Payloads.field(server.json(), j, "projectId")))
                .toList()));
    }

    private void redrive(Context ctx) {
        String id = ctx.pathParam("id");
        Job job = server.aar().analysis().job(ServerContext.owner(ctx), id)
                .orElseThrow(() -> new NotFoundException("job", id));
        if (job.state() != JobState.DEAD_LETTERED || !queue().redrive(id)) {
            throw new Problems.HttpProblem(HttpStatus.CONFLICT, "job.not_dead_lettered",
                    "job " + id + " is " + Views.pascal(job.state()) + ", not dead-lettered");
        }
        Job now = queue().find(id).orElse(job);
        ctx.json(Views.JobView.of(now, Payloads.field(server.json(), now, "projectId")));
    }

    private void redriveAll(Context ctx) {
        ctx.json(Map.of("redriven", queue().redriveAll(ServerContext.owner(ctx))));
    }

    private static int limit(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int v = Integer.parseInt(text.trim());
            if (v >= 1 && v <= MAX_LIMIT) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through to the refusal
        }
        throw Problems.invalid("limit must be 1.." + MAX_LIMIT + ", was '" + text + "'");
    }
}
