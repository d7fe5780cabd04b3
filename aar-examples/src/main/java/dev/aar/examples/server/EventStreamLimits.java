package dev.aar.examples.server;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on the event streams (plain server-sent events and SignalR connections alike): how many a
 * key and the server may hold open, how much each may fall behind, how much history is kept, and
 * the keep-alive and timeout periods.
 *
 * @param maxStreamsPerKey open streams (SSE streams plus SignalR connections) one API key may hold; beyond it 429
 * @param maxStreams open streams on this server; beyond it 503
 * @param retainedEventsPerProject events kept per project for {@code Last-Event-ID} replay
 * @param maxUnwatchedProjects projects whose history is kept while nobody watches them; the least
 *     recently active beyond this are forgotten
 * @param maxQueuedEvents events queued for one stream that is not reading; beyond it the stream is dropped
 * @param heartbeat how often an idle stream gets a heartbeat (SSE comment, SignalR ping)
 * @param clientTimeout a SignalR client that sends nothing for this long is dropped
 * @param writeTimeout a stream whose pending write has not completed for this long is dropped
 * @param maxSubscriptionsPerConnection projects one SignalR connection may subscribe to
 * @param maxMessageBytes largest message a SignalR client may send (a WebSocket text message or one POST body)
 */
public record EventStreamLimits(int maxStreamsPerKey, int maxStreams, int retainedEventsPerProject,
        int maxUnwatchedProjects, int maxQueuedEvents, Duration heartbeat, Duration clientTimeout,
        Duration writeTimeout, int maxSubscriptionsPerConnection, int maxMessageBytes) {

    public static final int DEFAULT_MAX_STREAMS_PER_KEY = 100;
    public static final int DEFAULT_MAX_STREAMS = 2_000;
    public static final int DEFAULT_RETAINED_EVENTS_PER_PROJECT = 2_000;
    public static final int DEFAULT_MAX_UNWATCHED_PROJECTS = 200;
    public static final int DEFAULT_MAX_QUEUED_EVENTS = 4_096;
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
    public static final Duration DEFAULT_CLIENT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION = 100;
    /** The ASP.NET Core default for {@code MaximumReceiveMessageSize}. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 32 * 1024;

    public EventStreamLimits {
        positive("maxStreamsPerKey", maxStreamsPerKey);
        positive("maxStreams", maxStreams);
        positive("retainedEventsPerProject", retainedEventsPerProject);
        if (maxUnwatchedProjects < 0) {
            throw new IllegalArgumentException("maxUnwatchedProjects must be >= 0, was " + maxUnwatchedProjects);
        }
        positive("maxQueuedEvents", maxQueuedEvents);
        if (maxQueuedEvents < retainedEventsPerProject + 16) {
            // a client resuming with Last-Event-ID gets the whole retained history queued at once
            throw new IllegalArgumentException("maxQueuedEvents must be >= retainedEventsPerProject + 16 ("
                    + (retainedEventsPerProject + 16) + "), was " + maxQueuedEvents);
        }
        positive("heartbeat", heartbeat);
        positive("clientTimeout", clientTimeout);
        positive("writeTimeout", writeTimeout);
        positive("maxSubscriptionsPerConnection", maxSubscriptionsPerConnection);
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("maxMessageBytes must be >= 1024, was " + maxMessageBytes);
        }
    }

    /** The defaults. */
    public static EventStreamLimits defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxStreamsPerKey = maxStreamsPerKey;
        b.maxStreams = maxStreams;
        b.retainedEventsPerProject = retainedEventsPerProject;
        b.maxUnwatchedProjects = maxUnwatchedProjects;
        b.maxQueuedEvents = maxQueuedEvents;
        b.heartbeat = heartbeat;
        b.clientTimeout = clientTimeout;
        b.writeTimeout = writeTimeout;
        b.maxSubscriptionsPerConnection = maxSubscriptionsPerConnection;
        b.maxMessageBytes = maxMessageBytes;
        return b;
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, was " + value);
        }
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
    }

    /** Builds {@link EventStreamLimits}; each setter names one limit. */
    public static final class Builder {
        private int maxStreamsPerKey = DEFAULT_MAX_STREAMS_PER_KEY;
        private int maxStreams = DEFAULT_MAX_STREAMS;
        private int retainedEventsPerProject = DEFAULT_RETAINED_EVENTS_PER_PROJECT;
        private int maxUnwatchedProjects = DEFAULT_MAX_UNWATCHED_PROJECTS;
        private int maxQueuedEvents = DEFAULT_MAX_QUEUED_EVENTS;
        private Duration heartbeat = DEFAULT_HEARTBEAT;
        private Duration clientTimeout = DEFAULT_CLIENT_TIMEOUT;
        private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
        private int maxSubscriptionsPerConnection = DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION;
        private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;

        private Builder() {
        }

        public Builder maxStreamsPerKey(int v) {
            maxStreamsPerKey = v;
            return this;
        }

        public Builder maxStreams(int v) {
            maxStreams = v;
            return this;
        }

        public Builder retainedEventsPerProject(int v) {
            retainedEventsPerProject = v;
            return this;
        }

        public Builder maxUnwatchedProjects(int v) {
            maxUnwatchedProjects = v;
            return this;
        }

        public Builder maxQueuedEvents(int v) {
            maxQueuedEvents = v;
            return this;
        }

        public Builder heartbeat(Duration v) {
            heartbeat = v;
            return this;
        }

        public Builder clientTimeout(Duration v) {
            clientTimeout = v;
            return this;
        }

        public Builder writeTimeout(Duration v) {
            writeTimeout = v;
            return this;
        }

        public Builder maxSubscriptionsPerConnection(int v) {
            maxSubscriptionsPerConnection = v;
            return this;
        }

        public Builder maxMessageBytes(int v) {
            maxMessageBytes = v;
            return this;
        }

        public EventStreamLimits build() {
            return new EventStreamLimits(maxStreamsPerKey, maxStreams, retainedEventsPerProject, maxUnwatchedProjects,
                    maxQueuedEvents, heartbeat, clientTimeout, writeTimeout, maxSubscriptionsPerConnection, maxMessageBytes);
        }
    }
}
