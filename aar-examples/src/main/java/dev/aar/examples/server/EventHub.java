package dev.aar.examples.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aar.core.event.ProgressEvent;
import dev.aar.core.event.ProgressListener;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans pipeline events out to the streams subscribed to a project (server-sent event streams and
 * SignalR connections alike), keeps the latest events of each project so a client that reconnects
 * with {@code Last-Event-ID} misses nothing, and holds every stream to its
 * {@link EventStreamLimits}.
 *
 * <p>Event ids are assigned here, increasing across all projects. An event is queued to each
 * subscriber under the project's lock (so replayed and live events arrive once each, in id order)
 * and written by the subscriber without blocking: no thread ever waits for a client. History is
 * bounded per project, and the history of projects nobody watches is forgotten, least recently
 * active first, beyond {@link EventStreamLimits#maxUnwatchedProjects()}. One timer sends heartbeats
 * and drops stalled streams; it only queues and checks, it never writes.
 */
public final class EventHub implements ProgressListener, AutoCloseable {

    /** Events kept per project for replay. */
    public static final int DEFAULT_RETAINED_EVENTS = EventStreamLimits.DEFAULT_RETAINED_EVENTS_PER_PROJECT;

    private static final Logger log = LoggerFactory.getLogger(EventHub.class);

    /** How long stopping waits for the streams' goodbyes to be written before connections are closed. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);

    /** One event as sent on the wire. */
    public record WireEvent(long id, String projectId, String name, String json) {
    }

    /** A connected client, as the hub sees it: a bounded, non-blocking queue. */
    public interface Subscriber {
        /** Queues one event without blocking; false if the client fell too far behind (the hub then closes it). */
        boolean offer(WireEvent event);

        /** Starts writing what was queued, without blocking. */
        void flush();

        /** Drops the client's connection. */
        void close();
    }

    /** A stream the hub's timer looks after: heartbeats, timeouts, stalled writes. */
    interface Stream {
        /** Called on every timer tick with {@link System#nanoTime()}; must not block. */
        void tick(long now);

        /** The server is stopping: say goodbye (without blocking) and close. */
        void shutdown();
    }

    /** Refusal to open another stream: the key's or the server's cap is reached. */
    static final class StreamsExhausted extends RuntimeException {
        final int status;
        final String code;
        final long retryAfterSeconds;

        StreamsExhausted(int status, String code, String detail, long retryAfterSeconds) {
            super(detail);
            this.status = status;
            this.code = code;
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    private final ObjectMapper json;
    private final EventStreamLimits limits;
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong activity = new AtomicLong();
    private final Map<String, ProjectEvents> projects = new ConcurrentHashMap<>();
    private final AtomicLong evictedUpTo = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, AtomicInteger> openPerKey = new ConcurrentHashMap<>();
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "aar-event-streams");
        t.setDaemon(true);
        return t;
    });

    public EventHub(ObjectMapper json) {
        this(json, EventStreamLimits.defaults());
    }

    /** A hub with the default limits except {@code retained} events kept per project. */
    public EventHub(ObjectMapper json, int retained) {
        this(json, EventStreamLimits.builder().retainedEventsPerProject(retained).build());
    }

    public EventHub(ObjectMapper json, EventStreamLimits limits) {
        this.json = json;
        this.limits = limits;
        long tick = Math.max(10, Math.min(1_000, Math.min(limits.heartbeat().toMillis(),
                Math.min(limits.clientTimeout().toMillis(), limits.writeTimeout().toMillis())) / 4));
        timer.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    /** The limits every stream is held to. */
    public EventStreamLimits limits() {
        return limits;
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
        List<Subscription> targets;
        List<Subscription> behind = new ArrayList<>();
        boolean created;
        while (true) {
            ProjectEvents p = projects.get(projectId);
            created = p == null;
            if (created) {
                p = projects.computeIfAbsent(projectId, ProjectEvents::new);
            }
            synchronized (p) {
                if (p.evicted) {
                    continue; // forgotten meanwhile: start a fresh history
                }
                WireEvent wire = new WireEvent(ids.incrementAndGet(), projectId, event.eventName(), body);
                p.events.addLast(wire);
                while (p.events.size() > limits.retainedEventsPerProject()) {
                    p.events.removeFirst();
                }
                p.lastActive = activity.incrementAndGet();
                targets = List.copyOf(p.subscribers);
                for (Subscription s : targets) {
                    if (!s.subscriber.offer(wire)) {
                        behind.add(s);
                    }
                }
            }
            break;
        }
        for (Subscription s : behind) {
            log.info("event stream of project {} fell behind; dropping it (it may resume with Last-Event-ID)", projectId);
            s.close();
            s.subscriber.close();
        }
        for (Subscription s : targets) {
            s.subscriber.flush();
        }
        if (created) {
            evictUnwatched();
        }
    }

    /**
     * Subscribes to a project: replays the retained events after {@code lastEventId} (none when it
     * is null), then sends live ones.
     *
     * @return a handle to unsubscribe with; {@link Subscription#complete()} is false if events
     *     may have been lost because the client was away longer than the retention
     */
    public Subscription subscribe(String projectId, Subscriber subscriber, Long lastEventId) {
        Subscription subscription;
        boolean behind = false;
        while (true) {
            ProjectEvents p = projects.computeIfAbsent(projectId, ProjectEvents::new);
            synchronized (p) {
                if (p.evicted) {
                    continue;
                }
                boolean complete = true;
                if (lastEventId != null) {
                    WireEvent oldest = p.events.peekFirst();
                    complete = oldest == null ? lastEventId >= evictedUpTo.get() : oldest.id() <= lastEventId + 1;
                    for (WireEvent e : p.events) {
                        if (e.id() > lastEventId && !subscriber.offer(e)) {
                            behind = true;
                            break;
                        }
                    }
                }
                subscription = new Subscription(this, p, subscriber, complete);
                if (!behind) {
                    p.subscribers.add(subscription);
                }
                p.lastActive = activity.incrementAndGet();
            }
            break;
        }
        if (behind) {
            subscriber.close();
        } else {
            subscriber.flush();
        }
        return subscription;
    }

    /**
     * Reserves one open stream for {@code keyId}; release the permit when the stream closes.
     *
     * @throws StreamsExhausted when the key (429) or the server (503) holds its maximum
     */
    Permit admit(String keyId) {
        AtomicInteger perKey = openPerKey.computeIfAbsent(keyId, k -> new AtomicInteger());
        if (perKey.incrementAndGet() > limits.maxStreamsPerKey()) {
            perKey.decrementAndGet();
            throw new StreamsExhausted(429, "events.too_many_streams", "this API key already holds "
                    + limits.maxStreamsPerKey() + " open event streams; close one first", 5);
        }
        if (open.incrementAndGet() > limits.maxStreams()) {
            open.decrementAndGet();
            perKey.decrementAndGet();
            throw new StreamsExhausted(503, "events.server_full", "the server holds its maximum of "
                    + limits.maxStreams() + " open event streams; retry later", 10);
        }
        return new Permit(keyId, perKey);
    }

    /** Streams currently open on this server. */
    int openStreams() {
        return open.get();
    }

    /** Projects whose history is currently kept. */
    int retainedProjects() {
        return projects.size();
    }

    /** Puts {@code stream} under the timer until the returned action is run. */
    Runnable watch(Stream stream) {
        streams.add(stream);
        return () -> {
            streams.remove(stream);
            synchronized (streams) {
                streams.notifyAll();
            }
        };
    }

    /**
     * Says goodbye to every stream (SignalR clients are told to reconnect), then waits up to
     * {@link #SHUTDOWN_GRACE} for those goodbyes to be written: the server closes its connections
     * right after, and a close message still queued would be lost (a SignalR client would then wait
     * for its server timeout instead of reconnecting). A client that does not read is not waited for
     * beyond the grace.
     */
    void shutdownStreams() {
        for (Stream s : List.copyOf(streams)) {
            try {
                s.shutdown();
            } catch (RuntimeException e) {
                log.debug("closing an event stream failed", e);
            }
        }
        long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
        synchronized (streams) {
            long left;
            while (!streams.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
                try {
                    streams.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        if (!streams.isEmpty()) {
            log.debug("{} event stream(s) still open after the shutdown grace", streams.size());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private void tick() {
        long now = System.nanoTime();
        for (Stream s : streams) {
            try {
                s.tick(now);
            } catch (RuntimeException e) {
                log.warn("event stream timer failed for one stream", e);
            }
        }
        evictUnwatched();
    }

    /** Forgets the histories of the least recently active projects nobody watches, beyond the limit. */
    private void evictUnwatched() {
        List<ProjectEvents> unwatched = new ArrayList<>();
        for (ProjectEvents p : projects.values()) {
            if (p.watchers() == 0) {
                unwatched.add(p);
            }
        }
        int excess = unwatched.size() - limits.maxUnwatchedProjects();
        if (excess <= 0) {
            return;
        }
        unwatched.sort(Comparator.comparingLong(p -> p.lastActive));
        for (ProjectEvents p : unwatched) {
            if (excess <= 0) {
                break;
            }
            synchronized (p) {
                if (!p.subscribers.isEmpty() || p.evicted) {
                    continue;
                }
                p.evicted = true;
                WireEvent last = p.events.peekLast();
                if (last != null) {
                    evictedUpTo.accumulateAndGet(last.id(), Math::max);
                }
                projects.remove(p.projectId, p);
                excess--;
            }
        }
    }

    /** One project's retained events and subscribers; guarded by its own monitor. */
    private static final class ProjectEvents {
        final String projectId;
        final ArrayDeque<WireEvent> events = new ArrayDeque<>();
        final List<Subscription> subscribers = new ArrayList<>();
        long lastActive;
        boolean evicted;

        ProjectEvents(String projectId) {
            this.projectId = projectId;
        }

        synchronized int watchers() {
            return subscribers.size();
        }
    }

    /** A reserved slot among the open streams; released once. */
    final class Permit implements AutoCloseable {
        private final String keyId;
        private final AtomicInteger perKey;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(String keyId, AtomicInteger perKey) {
            this.keyId = keyId;
            this.perKey = perKey;
        }

        /** The key holding this permit. */
        String keyId() {
            return keyId;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                perKey.decrementAndGet();
                open.decrementAndGet();
            }
        }
    }

    /** A live subscription. */
    public static final class Subscription implements AutoCloseable {
        private final EventHub hub;
        private final ProjectEvents project;
        private final Subscriber subscriber;
        private final boolean complete;

        private Subscription(EventHub hub, ProjectEvents project, Subscriber subscriber, boolean complete) {
            this.hub = hub;
            this.project = project;
            this.subscriber = subscriber;
            this.complete = complete;
        }

        /** Returns false if retained history did not reach back to the client's Last-Event-ID. */
        public boolean complete() {
            return complete;
        }

        /** The project subscribed to. */
        public String projectId() {
            return project.projectId;
        }

        /** Stops sending to this client. */
        @Override
        public void close() {
            synchronized (project) {
                project.subscribers.remove(this);
                project.lastActive = hub.activity.incrementAndGet();
            }
        }
    }
}
