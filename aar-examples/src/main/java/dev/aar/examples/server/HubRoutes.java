package dev.aar.examples.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /hubs/analysis?projectId=} — a project's pipeline events as server-sent events
 * ({@code event: ProgressUpdate}, {@code id:} the hub's event id, {@code data:} the event's JSON),
 * resuming after {@code Last-Event-ID} (header, or {@code lastEventId} query parameter for clients
 * that cannot set headers), with a comment line as heartbeat.
 */
final class HubRoutes implements Routes {

    /** How often an idle stream gets a comment, so proxies keep it open and a gone client is noticed. */
    static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
    /** Sent instead of replaying when the client was away longer than the hub retains events. */
    static final String EVENTS_LOST = "EventsLost";

    private static final String EVENT_STREAM = "text/event-stream";

    private final ServerContext context;
    private final Duration heartbeat;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "aar-sse-heartbeat");
        t.setDaemon(true);
        return t;
    });

    HubRoutes(ServerContext context, Duration heartbeat) {
        this.context = context;
        this.heartbeat = heartbeat;
    }

    @Override
    public void register(Javalin app) {
        app.get("/hubs/analysis", this::open);
        app.events(e -> e.serverStopped(timer::shutdownNow));
    }

    private void open(Context ctx) throws Exception {
        String projectId = ctx.queryParam("projectId");
        if (projectId == null || projectId.isBlank()) {
            throw new Problems.HttpProblem(HttpStatus.BAD_REQUEST, "request.invalid", "query parameter projectId is required");
        }
        // another organization's project is a 404, like every other id of theirs
        context.aar().analysis().project(ServerContext.owner(ctx), projectId);
        if (!EVENT_STREAM.equals(ctx.header("Accept"))) {
            throw new Problems.HttpProblem(HttpStatus.NOT_ACCEPTABLE, "request.not_acceptable",
                    "this is an event stream: send Accept: text/event-stream");
        }
        Long lastEventId = lastEventId(ctx);
        // subscribe before the response headers go out: a client that sees the stream open and then
        // starts a job must not miss the job's first events
        SseSubscriber subscriber = new SseSubscriber(context.json());
        EventHub.Subscription subscription = context.hub().subscribe(projectId, subscriber, lastEventId);
        try {
            new SseHandler(client -> stream(client, subscriber, subscription, projectId, lastEventId)).handle(ctx);
        } catch (Exception | Error e) {
            subscription.close();
            subscriber.ready(); // releases a sender waiting for a stream that will not open
            throw e;
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

    private void stream(SseClient client, SseSubscriber subscriber, EventHub.Subscription subscription,
            String projectId, Long lastEventId) {
        client.keepAlive();
        subscriber.attach(client);
        if (!subscription.complete()) {
            subscriber.lost(projectId, lastEventId);
        }
        subscriber.ready();
        ScheduledFuture<?> beat = timer.scheduleAtFixedRate(() -> {
            if (!subscriber.comment("heartbeat")) {
                subscription.close();
            }
        }, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        client.onClose(() -> {
            beat.cancel(false);
            subscription.close();
        });
    }

    /**
     * Writes to one client; events and heartbeats come from different threads, so writes take turns.
     * Events wait until {@link #ready()}, so a notice that history was lost goes out before the replay.
     */
    private static final class SseSubscriber implements EventHub.Subscriber {

        private final ObjectMapper json;
        private final CountDownLatch ready = new CountDownLatch(1);
        private volatile SseClient client;

        SseSubscriber(ObjectMapper json) {
            this.json = json;
        }

        /** Gives the subscriber its connection once the stream is open; events wait until {@link #ready()}. */
        void attach(SseClient client) {
            this.client = client;
        }

        void ready() {
            ready.countDown();
        }

        @Override
        public boolean send(EventHub.WireEvent event) {
            try {
                ready.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            SseClient c = client;
            if (c == null) {
                return false; // the stream never opened
            }
            synchronized (c) {
                if (c.terminated()) {
                    return false;
                }
                c.sendEvent(event.name(), event.json(), Long.toString(event.id()));
                return !c.terminated();
            }
        }

        boolean comment(String text) {
            synchronized (client) {
                if (client.terminated()) {
                    return false;
                }
                client.sendComment(text);
                return !client.terminated();
            }
        }

        void lost(String projectId, long lastEventId) {
            String body;
            try {
                body = json.writeValueAsString(Map.of("projectId", projectId, "lastEventId", lastEventId,
                        "message", "some events after lastEventId are no longer retained; reload the job's state"));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            synchronized (client) {
                client.sendEvent(EVENTS_LOST, body, null);
            }
        }

        @Override
        public void close() {
            SseClient c = client;
            if (c == null) {
                return; // dropped before the stream opened: nothing to close
            }
            synchronized (c) {
                c.close();
            }
        }
    }
}
