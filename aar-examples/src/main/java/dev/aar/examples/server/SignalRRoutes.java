package dev.aar.examples.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.WriteCallback;

/**
 * The ASP.NET Core SignalR protocol on {@code /hubs/analysis}, beside the plain event stream:
 * {@code POST /hubs/analysis/negotiate} creates a connection; the WebSockets transport upgrades
 * {@code /hubs/analysis?id=<connectionToken>}; the server-sent events transport reads
 * {@code GET /hubs/analysis?id=…} and sends with {@code POST /hubs/analysis?id=…}. Every request
 * is authenticated like the API (the SignalR client's bearer token or {@code access_token} is the
 * API key) and must come from the key that negotiated the connection.
 */
final class SignalRRoutes implements Routes, HubConnection.Host {

    static final String PATH = "/hubs/analysis";
    static final String WEBSOCKETS = "WebSockets";
    static final String SERVER_SENT_EVENTS = "ServerSentEvents";

    private static final String CONNECTION_ATTRIBUTE = "aar.hubConnection";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ServerContext context;
    private final Map<String, HubConnection> connections = new ConcurrentHashMap<>();

    SignalRRoutes(ServerContext context) {
        this.context = context;
    }

    @Override
    public void register(Javalin app) {
        app.post(PATH + "/negotiate", this::negotiate);
        app.post(PATH, this::sendOverSse);
        app.delete(PATH, this::delete);
        app.wsBeforeUpgrade(PATH, this::beforeUpgrade);
        app.ws(PATH, ws -> {
            ws.onConnect(this::connected);
            ws.onMessage(c -> connection(c).receive(c.message()));
            ws.onClose(c -> {
                HubConnection h = c.attribute(CONNECTION_ATTRIBUTE);
                if (h != null) {
                    h.disconnected();
                }
            });
            ws.onError(c -> {
                HubConnection h = c.attribute(CONNECTION_ATTRIBUTE);
                if (h != null) {
                    h.disconnected();
                }
            });
        });
        app.events(e -> e.serverStopping(context.hub()::shutdownStreams));
    }

    /** True if this GET is the server-sent events transport of a SignalR connection (it has an {@code id}). */
    static boolean isTransportRequest(Context ctx) {
        return ctx.queryParam("id") != null;
    }

    private void negotiate(Context ctx) {
        ApiKey key = ServerContext.key(ctx);
        int version = negotiateVersion(ctx.queryParam("negotiateVersion"));
        HubConnection c = create(ctx, key);
        ObjectNode body = context.json().createObjectNode();
        if (version >= 1) {
            body.put("negotiateVersion", 1);
            body.put("connectionId", c.connectionId);
            body.put("connectionToken", c.token);
        } else {
            body.put("connectionId", c.token); // version 0: the id is the token
        }
        var transports = body.putArray("availableTransports");
        transports.addObject().put("transport", WEBSOCKETS).putArray("transferFormats").add("Text");
        transports.addObject().put("transport", SERVER_SENT_EVENTS).putArray("transferFormats").add("Text");
        ctx.header("Cache-Control", "no-store");
        ctx.json(body);
    }

    private static int negotiateVersion(String raw) {
        if (raw == null || raw.isBlank()) {
            return 0;
        }
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw Problems.invalid("negotiateVersion must be a number, was '" + raw + "'");
        }
    }

    private HubConnection create(Context ctx, ApiKey key) {
        EventHub.Permit permit = HubRoutes.admit(ctx, context.hub(), key);
        HubConnection c = new HubConnection(randomId(16), randomId(32), key, context.hub(), permit, context.json(), this);
        connections.put(c.token, c);
        return c;
    }

    /** The connection named by {@code id=}, if it exists and belongs to the calling key; 404 otherwise. */
    private HubConnection lookup(Context ctx) {
        String id = ctx.queryParam("id");
        HubConnection c = id == null ? null : connections.get(id);
        if (c == null || !c.key.id().equals(ServerContext.key(ctx).id()) || c.isClosed()) {
            // another key's connection is not found either: tokens are not shared between keys
            throw new Problems.HttpProblem(HttpStatus.NOT_FOUND, "hub.connection_not_found",
                    "no such connection; negotiate a new one");
        }
        return c;
    }

    /** {@code GET /hubs/analysis?id=}: the server-sent events transport (called by {@link HubRoutes}). */
    void openSse(Context ctx) {
        HubConnection c = lookup(ctx);
        if (!SseSink.EVENT_STREAM.equals(ctx.header("Accept"))) {
            throw new Problems.HttpProblem(HttpStatus.BAD_REQUEST, "hub.transport_unsupported",
                    "only the WebSockets and ServerSentEvents transports are available (send Accept: text/event-stream)");
        }
        if (!c.claim(SERVER_SENT_EVENTS)) {
            throw new Problems.HttpProblem(HttpStatus.CONFLICT, "hub.connection_in_use",
                    "this connection already has a transport; negotiate a new one");
        }
        // each batch of hub messages is one event: the client splits it at the record separators
        SseSink.open(ctx, c.outbox(), batch -> "data: " + batch + "\n\n");
    }

    private void sendOverSse(Context ctx) throws IOException {
        HubConnection c = lookup(ctx);
        if (!c.uses(SERVER_SENT_EVENTS)) {
            // a WebSocket connection sends on its socket; before its event stream opens there is nowhere to answer
            throw new Problems.HttpProblem(HttpStatus.CONFLICT, "hub.connection_in_use",
                    "POST is for connections on the ServerSentEvents transport, after their event stream opened");
        }
        int max = context.hub().limits().maxMessageBytes();
        byte[] body;
        try (InputStream in = ctx.req().getInputStream()) {
            body = in.readNBytes(max + 1);
        }
        if (body.length > max) {
            throw new Problems.HttpProblem(HttpStatus.CONTENT_TOO_LARGE, "hub.message_too_large",
                    "a message may have at most " + max + " bytes");
        }
        c.receive(new String(body, StandardCharsets.UTF_8));
        ctx.status(200);
    }

    private void delete(Context ctx) {
        lookup(ctx).disconnected();
        ctx.status(202);
    }

    private void beforeUpgrade(Context ctx) {
        HubConnection c;
        if (ctx.queryParam("id") == null) {
            c = create(ctx, ServerContext.key(ctx)); // the client skipped negotiation
        } else {
            c = lookup(ctx);
        }
        if (!c.claim(WEBSOCKETS)) {
            throw new Problems.HttpProblem(HttpStatus.CONFLICT, "hub.connection_in_use",
                    "this connection already has a transport; negotiate a new one");
        }
        ctx.attribute(CONNECTION_ATTRIBUTE, c);
    }

    private void connected(WsContext ws) {
        HubConnection c = connection(ws);
        Session session = ws.session;
        EventStreamLimits limits = context.hub().limits();
        session.setMaxTextMessageSize(limits.maxMessageBytes());
        // the hub's own client timeout decides when a silent client goes; the socket's idle timeout
        // is only the backstop behind it
        session.setIdleTimeout(limits.clientTimeout().plus(limits.heartbeat()).plus(Duration.ofSeconds(5)));
        c.attach(new StreamOutbox.Sink() {
            @Override
            public void write(String text, StreamOutbox.Done done) {
                session.getRemote().sendString(text, new WriteCallback() {
                    @Override
                    public void writeSuccess() {
                        done.written();
                    }

                    @Override
                    public void writeFailed(Throwable x) {
                        done.failed(x);
                    }
                });
            }

            @Override
            public void abort() {
                session.disconnect();
            }

            @Override
            public void finish() {
                session.close(1000, null);
            }
        });
    }

    private static HubConnection connection(WsContext ws) {
        HubConnection c = ws.attribute(CONNECTION_ATTRIBUTE);
        if (c == null) {
            throw new IllegalStateException("WebSocket without a hub connection");
        }
        return c;
    }

    @Override
    public void requireProject(String organizationId, String projectId) {
        context.aar().analysis().project(organizationId, projectId);
    }

    @Override
    public void closed(HubConnection connection) {
        connections.remove(connection.token, connection);
    }

    private static String randomId(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
