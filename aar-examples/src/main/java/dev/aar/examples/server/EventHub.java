package dev.aar.examples.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aar.core.event.ProgressEvent;
import dev.aar.core.event.ProgressListener;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans pipeline events out to the clients subscribed to a project, and keeps the latest events of
 * each project so a client that reconnects with {@code Last-Event-ID} misses nothing.
 *
 * <p>Event ids are assigned here, increasing across all projects. Each connection has its own
 * queue, filled under the project's lock (so replayed and live events arrive once each, in id
 * order) and drained by a sender thread (so a slow client never blocks the pipeline or other
 * clients). A client whose queue overflows is disconnected; it reconnects with
 * {@code Last-Event-ID} and catches up from the retained history.
 */
public final class EventHub implements ProgressListener, AutoCloseable {

    /** Events kept per project for replay. */
    public static final int DEFAULT_RETAINED_EVENTS = 2_000;
    /** Events queued for one slow connection before it is dropped. */
    public static final int MAX_QUEUED_PER_CONNECTION = 10_000;

    private static final Logger log = LoggerFactory.getLogger(EventHub.class);

    /** One event as sent on the wire. */
    public record WireEvent(long id, String projectId, String name, String json) {
    }

    /** A connected client. */
    public interface Subscriber {
        /** Sends one event; returns false if the client is gone. */
        boolean send(WireEvent event);

        /** Closes the client's connection (it fell too far behind). */
        void close();
    }

    private final ObjectMapper json;
    private final int retained;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Deque<WireEvent>> history = new ConcurrentHashMap<>();
    private final Map<String, List<Connection>> connections = new ConcurrentHashMap<>();
    private final ExecutorService senders = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "aar-sse-sender");
        t.setDaemon(true);
        return t;
    });

    public EventHub(ObjectMapper json) {
        this(json, DEFAULT_RETAINED_EVENTS);
    }

    public EventHub(ObjectMapper json, int retained) {
        this.json = json;
        this.retained = retained;
    }

    @Override
    public void onEvent(ProgressEvent event) {
        String body;
        try {
            body = json.writeValueAsString(event);
        } catch (Exception e) {
            log.warn("cannot serialise {}", event, e);
            return;
        }
        String projectId = event.projectId();
        Deque<WireEvent> events = history.computeIfAbsent(projectId, p -> new ArrayDeque<>());
        List<Connection> targets = connections.getOrDefault(projectId, List.of());
        synchronized (events) {
            WireEvent wire = new WireEvent(ids.incrementAndGet(), projectId, event.eventName(), body);
            events.addLast(wire);
            while (events.size() > retained) {
                events.removeFirst();
            }
            for (Connection c : targets) {
                c.enqueue(wire);
            }
        }
        for (Connection c : targets) {
            c.drainLater();
        }
    }

    /**
     * Subscribes to a project: replays the retained events after {@code lastEventId} (none when it
     * is null), then sends live ones.
     *
     * @return a handle to unsubscribe with; {@link Subscription#complete()} is false if events
     *     were lost because the client was away longer than the retention
     */
    public Subscription subscribe(String projectId, Subscriber subscriber, Long lastEventId) {
        Connection connection = new Connection(projectId, subscriber);
        Deque<WireEvent> events = history.computeIfAbsent(projectId, p -> new ArrayDeque<>());
        boolean complete = true;
        synchronized (events) {
            connections.computeIfAbsent(projectId, p -> new CopyOnWriteArrayList<>()).add(connection);
            if (lastEventId != null) {
                WireEvent oldest = events.peekFirst();
                complete = oldest == null || oldest.id() <= lastEventId + 1;
                for (WireEvent e : events) {
                    if (e.id() > lastEventId) {
                        connection.enqueue(e);
                    }
                }
            }
        }
        connection.drainLater();
        return new Subscription(this, connection, complete);
    }

    @Override
    public void close() {
        senders.shutdownNow();
    }

    private void remove(Connection c) {
        List<Connection> list = connections.get(c.projectId);
        if (list != null) {
            list.remove(c);
        }
    }

    /** A live subscription. */
    public static final class Subscription implements AutoCloseable {
        private final EventHub hub;
        private final Connection connection;
        private final boolean complete;

        private Subscription(EventHub hub, Connection connection, boolean complete) {
            this.hub = hub;
            this.connection = connection;
            this.complete = complete;
        }

        /** Returns false if retained history did not reach back to the client's Last-Event-ID. */
        public boolean complete() {
            return complete;
        }

        /** Stops sending to this client. */
        @Override
        public void close() {
            connection.closed.set(true);
            hub.remove(connection);
        }
    }

    private final class Connection {
        final String projectId;
        final Subscriber subscriber;
        final Queue<WireEvent> queue = new ConcurrentLinkedQueue<>();
        final AtomicInteger size = new AtomicInteger();
        final AtomicBoolean draining = new AtomicBoolean();
        final AtomicBoolean closed = new AtomicBoolean();

        Connection(String projectId, Subscriber subscriber) {
            this.projectId = projectId;
            this.subscriber = subscriber;
        }

        void enqueue(WireEvent e) {
            if (closed.get()) {
                return;
            }
            if (size.incrementAndGet() > MAX_QUEUED_PER_CONNECTION) {
                log.info("SSE client of project {} fell {} events behind; disconnecting it so it resumes from history",
                        projectId, MAX_QUEUED_PER_CONNECTION);
                closed.set(true);
                remove(this);
                senders.execute(subscriber::close);
                return;
            }
            queue.add(e);
        }

        void drainLater() {
            if (!queue.isEmpty() && !closed.get() && draining.compareAndSet(false, true)) {
                try {
                    senders.execute(this::drain);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    draining.set(false); // hub closed
                }
            }
        }

        private void drain() {
            try {
                WireEvent e;
                while (!closed.get() && (e = queue.poll()) != null) {
                    size.decrementAndGet();
                    boolean alive;
                    try {
                        alive = subscriber.send(e);
                    } catch (RuntimeException ex) {
                        alive = false;
                    }
                    if (!alive) {
                        closed.set(true);
                        remove(this);
                    }
                }
            } finally {
                draining.set(false);
            }
            drainLater(); // an event may have arrived after the last poll
        }
    }
}
