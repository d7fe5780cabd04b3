package dev.aar.jdbc;

import dev.aar.core.event.EventDispatcher;
import dev.aar.core.event.ProgressEvent;
import dev.aar.core.event.ProgressListener;
import dev.aar.jdbc.internal.PgListener;
import dev.aar.jdbc.internal.ProgressEventCodec;
import dev.aar.jdbc.internal.ProgressEventCodec.Envelope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans progress events out across nodes over PostgreSQL {@code LISTEN/NOTIFY} (what the spec calls
 * the SignalR backplane): a client connected to node A sees the events of a worker on node B.
 *
 * <p>Register the bridge as a listener of each node's {@code Aar}; it publishes every local event
 * with {@code pg_notify}. It also listens on the same channel and delivers the events of
 * <em>other</em> nodes (each payload names its node) to the listeners given to
 * {@link #subscribe(ProgressListener)}, asynchronously, with the buffering rules of
 * {@link EventDispatcher}. A node's own events never come back to it, so a client that
 * subscribes to both {@code aar.events()} and the bridge sees each event once.
 *
 * <pre>{@code
 * PgProgressBridge bridge = PgProgressBridge.builder(db).nodeId("node-a").build();
 * Aar aar = db.applyTo(Aar.builder().config(config)).listener(bridge).build();
 * bridge.subscribe(sseConnection);        // events from the other nodes
 * aar.events().subscribe(sseConnection);  // events from this node
 * }</pre>
 *
 * <p>A {@code NOTIFY} payload must be shorter than 8,000 bytes. An event whose JSON is larger (a
 * finding with long evidence) is written to the {@code progress_events} table and the notification
 * carries its row id; receivers read the row. Such rows are deleted after
 * {@link Builder#largeEventRetention} (default {@value #DEFAULT_LARGE_EVENT_RETENTION_SECONDS} s),
 * so a node that lags longer than that loses those events (logged). Delivery is at most once: a
 * node that is disconnected from the database misses what was sent meanwhile, as with SignalR.
 */
public final class PgProgressBridge implements ProgressListener, AutoCloseable {

    /** The largest JSON sent inline; PostgreSQL refuses payloads of 8,000 bytes or more. */
    public static final int MAX_NOTIFY_PAYLOAD_BYTES = 7_999;
    /** How long a large event's row is kept for receivers, in seconds. */
    public static final long DEFAULT_LARGE_EVENT_RETENTION_SECONDS = 60;

    private static final Logger log = LoggerFactory.getLogger(PgProgressBridge.class);

    private final Jdbi jdbi;
    private final String channel;
    private final String nodeId;
    private final Duration retention;
    private final Clock clock;
    private final ProgressEventCodec codec = new ProgressEventCodec();
    private final EventDispatcher remote;
    private final AutoCloseable listener;

    private PgProgressBridge(Builder b) {
        if (!"postgresql".equals(b.backend.database())) {
            throw new IllegalStateException("PgProgressBridge needs PostgreSQL; this backend is " + b.backend.database());
        }
        this.jdbi = b.backend.jdbi();
        this.channel = b.backend.channel("aar_progress");
        this.nodeId = b.nodeId;
        this.retention = b.retention;
        this.clock = b.clock;
        this.remote = EventDispatcher.of(b.listeners);
        this.listener = PgListener.start(b.backend.dataSource(), channel, Duration.ofSeconds(1), this::received);
    }

    /** Returns a builder for a bridge on {@code backend}'s database (which must be PostgreSQL). */
    public static Builder builder(JdbcBackend backend) {
        return new Builder(backend);
    }

    /** Returns this node's id, sent with every event. */
    public String nodeId() {
        return nodeId;
    }

    /** Starts delivering events from other nodes to {@code listener}; close the result to stop. */
    public EventDispatcher.Subscription subscribe(ProgressListener listener) {
        return remote.subscribe(listener);
    }

    /** Publishes a local event to the other nodes. */
    @Override
    public void onEvent(ProgressEvent event) {
        Objects.requireNonNull(event, "event");
        String inline = codec.write(new Envelope(nodeId, event, null));
        try {
            if (inline.getBytes(StandardCharsets.UTF_8).length <= MAX_NOTIFY_PAYLOAD_BYTES) {
                jdbi.useHandle(h -> notify(h, inline));
                return;
            }
            long now = clock.millis();
            jdbi.useTransaction(h -> {
                long id = h.createQuery("INSERT INTO progress_events (created_at, event_json) VALUES (:now, :json)"
                        + " RETURNING id").bind("now", now).bind("json", codec.writeEvent(event))
                        .mapTo(Long.class).one();
                h.createUpdate("DELETE FROM progress_events WHERE created_at < :cutoff")
                        .bind("cutoff", now - retention.toMillis()).execute();
                notify(h, codec.write(new Envelope(nodeId, null, id)));
            });
        } catch (JdbiException e) {
            throw new UncheckedIOException(new IOException("database: publishing " + event.eventName()
                    + " of job " + event.jobId() + " to other nodes failed: " + e.getMessage(), e));
        }
    }

    private void notify(Handle h, String payload) {
        h.createQuery("SELECT pg_notify(:channel, :payload)").bind("channel", channel).bind("payload", payload)
                .mapTo(String.class).list();
    }

    /** Called on the listener thread with each payload (null after a reconnect: nothing to replay). */
    private void received(String payload) {
        if (payload == null) {
            log.info("progress bridge {} reconnected; events sent while it was away are lost", nodeId);
            return;
        }
        try {
            Envelope envelope = codec.readEnvelope(payload);
            if (nodeId.equals(envelope.node())) {
                return;
            }
            Optional<ProgressEvent> event = envelope.event() != null ? Optional.of(envelope.event()) : load(envelope);
            event.ifPresent(remote::publish);
        } catch (IOException | RuntimeException e) {
            log.warn("progress bridge {}: dropped an event it cannot read: {}", nodeId, e.toString());
        }
    }

    private Optional<ProgressEvent> load(Envelope envelope) throws IOException {
        Optional<String> json = jdbi.withHandle(h -> h.createQuery(
                "SELECT event_json FROM progress_events WHERE id = :id").bind("id", envelope.ref())
                .mapTo(String.class).findOne());
        if (json.isEmpty()) {
            log.warn("progress bridge {}: large event {} from node {} was already deleted (older than {})", nodeId,
                    envelope.ref(), envelope.node(), retention);
            return Optional.empty();
        }
        return Optional.of(codec.readEvent(json.get()));
    }

    /** Stops listening and delivers what is buffered (up to {@link EventDispatcher#DEFAULT_CLOSE_TIMEOUT}). */
    @Override
    public void close() {
        try {
            listener.close();
        } catch (Exception e) {
            log.warn("closing the progress bridge's LISTEN connection failed", e);
        }
        remote.close();
    }

    /** Settings for a {@link PgProgressBridge}. */
    public static final class Builder {

        private final JdbcBackend backend;
        private String nodeId = UUID.randomUUID().toString();
        private Duration retention = Duration.ofSeconds(DEFAULT_LARGE_EVENT_RETENTION_SECONDS);
        private Clock clock = Clock.systemUTC();
        private final List<ProgressListener> listeners = new ArrayList<>();

        private Builder(JdbcBackend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
        }

        /** This node's id, unique among the nodes sharing the database (default: a random UUID). */
        public Builder nodeId(String nodeId) {
            if (nodeId == null || nodeId.isBlank()) {
                throw new IllegalArgumentException("nodeId must not be blank");
            }
            this.nodeId = nodeId;
            return this;
        }

        /** A listener for other nodes' events from the start (more with {@link PgProgressBridge#subscribe}). */
        public Builder listener(ProgressListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** How long a large event's row stays readable for lagging nodes (default 60 s). */
        public Builder largeEventRetention(Duration retention) {
            if (retention.isNegative() || retention.isZero()) {
                throw new IllegalArgumentException("largeEventRetention must be > 0, was " + retention);
            }
            this.retention = retention;
            return this;
        }

        /** The clock for the large events' timestamps (default UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Starts listening and returns the bridge; close it to stop. */
        public PgProgressBridge build() {
            return new PgProgressBridge(this);
        }
    }
}
