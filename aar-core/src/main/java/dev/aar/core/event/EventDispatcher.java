package dev.aar.core.event;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers events to listeners asynchronously, each listener on its own thread with its own
 * bounded buffer, so a slow or failing listener never slows a worker or another listener.
 *
 * <p>Buffering rule, per listener: a {@link ProgressUpdate} replaces that job's update of the same phase still
 * waiting in the buffer (the listener sees the latest progress, never a stale one after a newer
 * one), and is dropped when the buffer is full; every other event (findings, completions, job
 * lifecycle) is always kept, in publication order, even past the capacity, since losing a finding
 * is worse than holding memory for a listener that is behind. An exception thrown by a listener
 * is logged and the next event is delivered as usual.
 */
public final class EventDispatcher implements EventPublisher, AutoCloseable {

    /** Events one listener may have waiting before progress updates are dropped. */
    public static final int DEFAULT_BUFFER_CAPACITY = 10_000;
    /** How long {@link #close()} lets listeners drain their buffers. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final int bufferCapacity;
    private final List<ListenerChannel> channels = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** A dispatcher with no listeners yet and {@link #DEFAULT_BUFFER_CAPACITY}. */
    public EventDispatcher() {
        this(DEFAULT_BUFFER_CAPACITY);
    }

    /** A dispatcher whose listeners each buffer up to {@code bufferCapacity} events. */
    public EventDispatcher(int bufferCapacity) {
        if (bufferCapacity < 1) {
            throw new IllegalArgumentException("bufferCapacity must be >= 1, was " + bufferCapacity);
        }
        this.bufferCapacity = bufferCapacity;
    }

    /** Returns a dispatcher already delivering to {@code listeners}. */
    public static EventDispatcher of(List<? extends ProgressListener> listeners) {
        EventDispatcher d = new EventDispatcher();
        listeners.forEach(d::subscribe);
        return d;
    }

    /** Starts delivering every later event to {@code listener}; close the result to stop. */
    public Subscription subscribe(ProgressListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (closed) {
            throw new IllegalStateException("the event dispatcher is closed");
        }
        ListenerChannel channel = new ListenerChannel(listener, bufferCapacity);
        channels.add(channel);
        Thread t = new Thread(channel, "aar-events-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        t.start();
        return () -> {
            channels.remove(channel);
            channel.close();
        };
    }

    @Override
    public void publish(ProgressEvent event) {
        Objects.requireNonNull(event, "event");
        for (ListenerChannel c : channels) {
            c.offer(event);
        }
    }

    /**
     * Waits until every listener has handled every event published so far, or {@code timeout}
     * passed; returns whether all were handled.
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ListenerChannel c : channels) {
            if (!c.awaitIdle(deadline)) {
                return false;
            }
        }
        return true;
    }

    /** Returns how many progress updates were dropped because a listener's buffer was full. */
    public long droppedProgressUpdates() {
        return channels.stream().mapToLong(ListenerChannel::dropped).sum();
    }

    /** Lets listeners drain for up to {@link #DEFAULT_CLOSE_TIMEOUT}, then stops their threads. */
    @Override
    public void close() {
        closed = true;
        try {
            awaitIdle(DEFAULT_CLOSE_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ListenerChannel c : channels) {
            c.close();
        }
        channels.clear();
    }

    /** A listener's registration; closing it stops delivery to that listener. */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
