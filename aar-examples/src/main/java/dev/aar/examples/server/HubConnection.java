package dev.aar.examples.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aar.core.error.NotFoundException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SignalR connection to the analysis hub (JSON hub protocol, version 1): created by negotiate,
 * bound to one transport (WebSockets or server-sent events), owned by the API key that negotiated
 * it. It answers the handshake, runs {@code SubscribeToProject} / {@code UnsubscribeFromProject}
 * for projects of the key's organization, relays the subscribed projects' events as
 * {@code ProgressUpdate} / {@code FindingUpdate} / {@code JobCompleted} invocations, pings every
 * heartbeat and drops a client that stays silent past the client timeout.
 */
final class HubConnection implements EventHub.Stream {

    private static final Logger log = LoggerFactory.getLogger(HubConnection.class);

    /** What the hub needs from the server around it. */
    interface Host {
        /** Checks that {@code projectId} is a project of {@code organizationId}; throws NotFoundException otherwise. */
        void requireProject(String organizationId, String projectId);

        /** Forgets a closed connection. */
        void closed(HubConnection connection);
    }

    final String connectionId;
    final String token;
    final ApiKey key;
    private final EventHub hub;
    private final EventHub.Permit permit;
    private final HubMessages messages;
    private final ObjectMapper json;
    private final Host host;
    private final EventStreamLimits limits;
    private final StreamOutbox outbox;
    private final long created = System.nanoTime();
    private final Runnable unwatch;
    private final Map<String, EventHub.Subscription> subscriptions = new LinkedHashMap<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile long lastReceived = System.nanoTime();
    private String transport;
    private boolean handshaken;

    /**
     * The client methods the spec's hub calls. A SignalR client logs a warning for every invocation it
     * has no handler for, so the SDK's other events (JobQueued, JobFailed, …) stay on the SSE stream.
     */
    static final java.util.Set<String> SPEC_EVENTS = java.util.Set.of("ProgressUpdate", "FindingUpdate", "JobCompleted");

    private final EventHub.Subscriber specEventsOnly;

    HubConnection(String connectionId, String token, ApiKey key, EventHub hub, EventHub.Permit permit, ObjectMapper json,
            Host host) {
        this.connectionId = connectionId;
        this.token = token;
        this.key = key;
        this.hub = hub;
        this.permit = permit;
        this.json = json;
        this.messages = new HubMessages(json);
        this.host = host;
        this.limits = hub.limits();
        this.outbox = new StreamOutbox(limits.maxQueuedEvents(), e -> HubMessages.invocation(e.name(), e.json()));
        this.specEventsOnly = new SpecEventsOnly(outbox);
        this.unwatch = hub.watch(this);
        outbox.onClose(this::release);
    }

    /** Claims the connection for one transport; false if a transport already has it or it is closed. */
    synchronized boolean claim(String transportName) {
        if (transport != null || outbox.isClosed()) {
            return false;
        }
        transport = transportName;
        lastReceived = System.nanoTime();
        return true;
    }

    /** True if the connection was claimed by {@code transportName}. */
    synchronized boolean uses(String transportName) {
        return transportName.equals(transport);
    }

    /** Binds the claimed transport: from now on messages go out through {@code sink}. */
    void attach(StreamOutbox.Sink sink) {
        outbox.attach(sink);
    }

    /** The outbox; an SSE transport answers its GET from it. */
    StreamOutbox outbox() {
        return outbox;
    }

    /** The transport saw the client go away. */
    void disconnected() {
        outbox.disconnected();
    }

    boolean isClosed() {
        return outbox.isClosed();
    }

    /**
     * Handles text the client sent: one or more complete messages each ended by the record separator
     * (a message split across sends is kept until its end arrives, up to the message size limit).
     */
    void receive(String text) {
        lastReceived = System.nanoTime();
        List<String> records;
        synchronized (partial) {
            partial.append(text);
            int end = partial.lastIndexOf(String.valueOf(HubMessages.RECORD_SEPARATOR));
            if (end < 0) {
                if (partial.length() > limits.maxMessageBytes()) {
                    partial.setLength(0);
                    closeWithError("message larger than " + limits.maxMessageBytes() + " bytes");
                }
                return;
            }
            String complete = partial.substring(0, end);
            partial.delete(0, end + 1);
            records = List.of(complete.split(String.valueOf(HubMessages.RECORD_SEPARATOR), -1));
        }
        for (String record : records) {
            if (outbox.isClosed()) {
                return;
            }
            if (!record.isEmpty()) {
                handle(record);
            }
        }
        outbox.flush();
    }

    private void handle(String record) {
        JsonNode message;
        try {
            message = json.readTree(record);
        } catch (Exception e) {
            closeWithError("a message is not valid JSON");
            return;
        }
        if (message == null || !message.isObject()) {
            closeWithError("a message is not a JSON object");
            return;
        }
        synchronized (this) {
            if (!handshaken) {
                handshake(message);
                return;
            }
        }
        JsonNode type = message.get("type");
        if (type == null || !type.isInt()) {
            closeWithError("a message has no type");
            return;
        }
        switch (type.intValue()) {
            case HubMessages.INVOCATION -> invoke(message);
            case HubMessages.STREAM_INVOCATION -> reply(text(message, "invocationId"), "this hub has no streaming methods");
            case HubMessages.PING, HubMessages.CANCEL_INVOCATION, HubMessages.STREAM_ITEM, HubMessages.COMPLETION -> {
                // a ping only shows the client is alive; nothing streams or awaits client results here
            }
            case HubMessages.CLOSE -> outbox.finishWith(null);
            default -> closeWithError("unknown message type " + type.intValue());
        }
    }

    private synchronized void handshake(JsonNode message) {
        String protocol = text(message, "protocol");
        JsonNode version = message.get("version");
        if (!"json".equals(protocol)) {
            outbox.finishWith(messages.handshakeError("the protocol '" + protocol + "' is not supported; use json"));
            return;
        }
        if (version == null || !version.canConvertToInt() || version.intValue() != 1) {
            outbox.finishWith(messages.handshakeError("version " + version + " of the json protocol is not supported; use 1"));
            return;
        }
        handshaken = true;
        outbox.offerText(HubMessages.HANDSHAKE_OK);
    }

    private void invoke(JsonNode message) {
        String invocationId = text(message, "invocationId");
        String target = text(message, "target");
        JsonNode arguments = message.get("arguments");
        if (target == null || arguments == null || !arguments.isArray()) {
            reply(invocationId, "an invocation needs a target and arguments");
            return;
        }
        // hub method names match case-insensitively, as in ASP.NET Core
        String method = target.toLowerCase(java.util.Locale.ROOT);
        if (!method.equals("subscribetoproject") && !method.equals("unsubscribefromproject")) {
            reply(invocationId, "Method does not exist.");
            return;
        }
        if (arguments.size() != 1 || !arguments.get(0).isTextual() || arguments.get(0).asText().isBlank()) {
            reply(invocationId, "Invocation provides " + arguments.size() + " argument(s) but target expects 1 (projectId).");
            return;
        }
        String projectId = arguments.get(0).asText();
        if (method.equals("subscribetoproject")) {
            reply(invocationId, subscribe(projectId));
        } else {
            unsubscribe(projectId);
            reply(invocationId, null);
        }
    }

    private String subscribe(String projectId) {
        try {
            host.requireProject(key.organizationId(), projectId);
        } catch (NotFoundException e) {
            return "project '" + projectId + "' not found";
        } catch (RuntimeException e) {
            log.warn("SubscribeToProject({}) failed", projectId, e);
            return "the server failed; see its log"; // never the internal message
        }
        synchronized (subscriptions) {
            if (outbox.isClosed() || subscriptions.containsKey(projectId)) {
                return null;
            }
            if (subscriptions.size() >= limits.maxSubscriptionsPerConnection()) {
                return "this connection already follows " + limits.maxSubscriptionsPerConnection()
                        + " projects; unsubscribe from one first";
            }
            subscriptions.put(projectId, hub.subscribe(projectId, specEventsOnly, null));
        }
        return null;
    }

    private void unsubscribe(String projectId) {
        EventHub.Subscription s;
        synchronized (subscriptions) {
            s = subscriptions.remove(projectId);
        }
        if (s != null) {
            s.close();
        }
    }

    private void reply(String invocationId, String error) {
        if (invocationId != null) { // a non-blocking invocation (send()) expects no answer
            outbox.offerText(messages.completion(invocationId, error));
        }
    }

    private void closeWithError(String error) {
        log.debug("closing SignalR connection {}: {}", connectionId, error);
        outbox.finishWith(messages.close(error, false));
    }

    @Override
    public void tick(long now) {
        long silent = now - lastReceived;
        if (transportName() == null) {
            if (now - created > limits.clientTimeout().toNanos()) {
                outbox.abort("negotiated but never connected");
            }
            return;
        }
        if (outbox.stalledBefore(now - limits.writeTimeout().toNanos())) {
            outbox.abort("the client stopped reading");
        } else if (silent > limits.clientTimeout().toNanos()) {
            closeWithError("nothing received for " + TimeUnit.NANOSECONDS.toSeconds(silent) + " s (client timeout)");
        } else if (handshaken() && outbox.idleSince(now - limits.heartbeat().toNanos())) {
            // no ping before the handshake's answer: the client reads that first
            if (outbox.offerText(HubMessages.PING_MESSAGE)) {
                outbox.flush();
            }
        }
    }

    @Override
    public void shutdown() {
        if (transportName() == null) {
            outbox.abort("server stopping");
        } else {
            outbox.finishWith(messages.close(null, true));
        }
    }

    private synchronized boolean handshaken() {
        return handshaken;
    }

    private synchronized String transportName() {
        return transport;
    }

    private void release() {
        unwatch.run();
        List<EventHub.Subscription> subs;
        synchronized (subscriptions) {
            subs = List.copyOf(subscriptions.values());
            subscriptions.clear();
        }
        subs.forEach(EventHub.Subscription::close);
        permit.close();
        host.closed(this);
    }

    private static String text(JsonNode message, String field) {
        JsonNode n = message.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    /** Passes on the spec's three events and drops the rest (dropping is not falling behind). */
    private record SpecEventsOnly(StreamOutbox outbox) implements EventHub.Subscriber {
        @Override
        public boolean offer(EventHub.WireEvent event) {
            return !SPEC_EVENTS.contains(event.name()) || outbox.offer(event);
        }

        @Override
        public void flush() {
            outbox.flush();
        }

        @Override
        public void close() {
            outbox.close();
        }
    }
}
