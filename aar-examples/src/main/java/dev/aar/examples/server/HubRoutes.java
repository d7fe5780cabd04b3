package dev.aar.examples.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Map;

/**
 * {@code GET /hubs/analysis?projectId=} — a project's pipeline events as server-sent events
 * ({@code event: ProgressUpdate}, {@code id:} the hub's event id, {@code data:} the event's JSON),
 * resuming after {@code Last-Event-ID} (header, or {@code lastEventId} query parameter for clients
 * that cannot set headers), with a comment line as heartbeat. A {@code GET} with {@code id=} is
 * the server-sent events transport of a SignalR connection instead ({@link SignalRRoutes}).
 */
final class HubRoutes implements Routes {

    /** Sent instead of replaying when the client was away longer than the hub retains events. */
    static final String EVENTS_LOST = "EventsLost";

    private static final String HEARTBEAT = ": heartbeat\n\n";

    private final ServerContext context;
    private final SignalRRoutes signalR;

    HubRoutes(ServerContext context, SignalRRoutes signalR) {
        this.context = context;
        this.signalR = signalR;
    }

    @Override
    public void register(Javalin app) {
        app.get(SignalRRoutes.PATH, this::open);
    }

    /**
     * Reserves one of the key's and the server's open streams, or refuses with 429 / 503 and
     * {@code Retry-After}.
     */
    static EventHub.Permit admit(Context ctx, EventHub hub, ApiKey key) {
        try {
            return hub.admit(key.id());
        } catch (EventHub.StreamsExhausted e) {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds));
            throw new Problems.HttpProblem(HttpStatus.forStatus(e.status), e.code, e.getMessage());
        }
    }

    private void open(Context ctx) {
        if (SignalRRoutes.isTransportRequest(ctx)) {
            signalR.openSse(ctx);
            return;
        }
        String projectId = ctx.queryParam("projectId");
        if (projectId == null || projectId.isBlank()) {
            throw new Problems.HttpProblem(HttpStatus.BAD_REQUEST, "request.invalid", "query parameter projectId is required");
        }
        // another organization's project is a 404, like every other id of theirs
        context.aar().analysis().project(ServerContext.owner(ctx), projectId);
        if (!SseSink.EVENT_STREAM.equals(ctx.header("Accept"))) {
            throw new Problems.HttpProblem(HttpStatus.NOT_ACCEPTABLE, "request.not_acceptable",
                    "this is an event stream: send Accept: text/event-stream");
        }
        Long lastEventId = lastEventId(ctx);
        EventHub hub = context.hub();
        EventHub.Permit permit = admit(ctx, hub, ServerContext.key(ctx));
        PlainStream stream = new PlainStream(hub);
        stream.outbox.onClose(permit::close);
        // subscribe before the response headers go out: a client that sees the stream open and then
        // starts a job must not miss the job's first events
        EventHub.Subscription subscription = hub.subscribe(projectId, stream.outbox, lastEventId);
        stream.outbox.onClose(subscription::close);
        if (!subscription.complete()) {
            stream.outbox.offerFirst(eventsLost(projectId, lastEventId));
        }
        try {
            SseSink.open(ctx, stream.outbox);
        } catch (RuntimeException | Error e) {
            stream.outbox.abort("the stream did not open");
            throw e;
        }
    }

    private String eventsLost(String projectId, long lastEventId) {
        try {
            String body = context.json().writeValueAsString(Map.of("projectId", projectId, "lastEventId", lastEventId,
                    "message", "some events after lastEventId are no longer retained; reload the job's state"));
            return "event: " + EVENTS_LOST + "\ndata: " + body + "\n\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Long lastEventId(Context ctx) {
        String raw = ctx.header("Last-Event-ID");
        if (raw == null || raw.isBlank()) {
            raw = ctx.queryParam("lastEventId");
        }
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new Problems.HttpProblem(HttpStatus.BAD_REQUEST, "request.invalid",
                    "Last-Event-ID must be an event id this server sent (a number), was '" + raw + "'");
        }
    }

    /** One plain SSE stream: its outbox and its heartbeats. */
    private static final class PlainStream implements EventHub.Stream {
        final StreamOutbox outbox;
        private final EventHub hub;

        PlainStream(EventHub hub) {
            this.hub = hub;
            // the event's JSON has no line breaks (Jackson escapes them), so one data: line carries it
            this.outbox = new StreamOutbox(hub.limits().maxQueuedEvents(),
                    e -> "id: " + e.id() + "\nevent: " + e.name() + "\ndata: " + e.json() + "\n\n");
            outbox.onClose(hub.watch(this));
        }

        @Override
        public void tick(long now) {
            if (outbox.stalledBefore(now - hub.limits().writeTimeout().toNanos())) {
                outbox.abort("the client stopped reading");
            } else if (outbox.idleSince(now - hub.limits().heartbeat().toNanos())) {
                // the heartbeat also finds a client that went away: its write fails
                if (outbox.offerText(HEARTBEAT)) {
                    outbox.flush();
                } else {
                    outbox.abort("the client stopped reading");
                }
            }
        }

        @Override
        public void shutdown() {
            outbox.finishWith(null);
        }
    }
}
