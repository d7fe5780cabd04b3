package dev.aar.examples.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The outgoing side of one event stream: a bounded queue drained by non-blocking writes, one at a
 * time. Nothing here ever waits for the client: a client that stops reading leaves a write pending,
 * its queue fills, and it is dropped (queue full, or a write pending longer than the write
 * timeout), while every other stream goes on. Plain SSE streams and SignalR connections both write
 * through one of these; only their {@link Sink} and encoding differ.
 */
final class StreamOutbox implements EventHub.Subscriber {

    /** Text written per write call at most (several small frames go out together). */
    static final int MAX_BATCH_CHARS = 64 * 1024;

    /** A non-blocking transport under the outbox. */
    interface Sink {
        /**
         * Starts writing {@code text} and returns without waiting; calls exactly one of {@code done}'s
         * methods when the write completed or failed, possibly on the calling thread.
         */
        void write(String text, Done done);

        /** Closes the connection at once; anything unwritten is dropped. */
        void abort();

        /** Ends the stream normally once what was written has gone out. */
        void finish();
    }

    /** Text written exactly as given, outside the transport's framing (an SSE stream's opening comment). */
    record Raw(String text) {
    }

    /** Completion of one {@link Sink#write}. */
    interface Done {
        void written();

        void failed(Throwable cause);
    }

    private final Object lock = new Object();
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private final int maxQueued;
    private final Function<EventHub.WireEvent, String> encoder;
    private final List<Runnable> onClose = new ArrayList<>();
    private Sink sink;
    private UnaryOperator<String> framing = UnaryOperator.identity();
    private boolean writing;
    private boolean closed;
    private boolean finishing;
    private long writeStarted;
    private long lastActivity = System.nanoTime();
    private String closeReason;

    /**
     * @param maxQueued events and frames queued before the stream counts as not reading and is dropped
     * @param encoder turns a hub event into this stream's wire text
     */
    StreamOutbox(int maxQueued, Function<EventHub.WireEvent, String> encoder) {
        this.maxQueued = maxQueued;
        this.encoder = encoder;
    }

    /** Gives the outbox its transport; what was queued before goes out now. */
    void attach(Sink sink) {
        attach(sink, UnaryOperator.identity());
    }

    /**
     * Gives the outbox its transport, with {@code framing} wrapping each batch of messages (a
     * SignalR batch becomes one {@code data:} event on the server-sent events transport).
     */
    void attach(Sink sink, UnaryOperator<String> framing) {
        synchronized (lock) {
            if (this.sink != null) {
                throw new IllegalStateException("already attached");
            }
            this.sink = sink;
            this.framing = framing;
            lastActivity = System.nanoTime();
        }
        if (isClosed()) {
            sink.abort();
            return;
        }
        flush();
    }

    /** Runs {@code action} once when the stream closes for any reason (at once if it already has). */
    void onClose(Runnable action) {
        boolean now;
        synchronized (lock) {
            now = closed;
            if (!now) {
                onClose.add(action);
            }
        }
        if (now) {
            action.run();
        }
    }

    @Override
    public boolean offer(EventHub.WireEvent event) {
        return enqueue(event);
    }

    /** Queues wire text as it is (a heartbeat, a protocol frame); false if the stream is closed or full. */
    boolean offerText(String text) {
        return enqueue(text);
    }

    /** Queues {@code item} (an event, text, or {@link Raw}) ahead of everything queued; false if closed. */
    boolean offerFirst(Object item) {
        synchronized (lock) {
            if (closed || finishing) {
                return false;
            }
            queue.addFirst(item);
            return true;
        }
    }

    private boolean enqueue(Object item) {
        synchronized (lock) {
            if (closed || finishing) {
                return false;
            }
            if (queue.size() >= maxQueued) {
                closeReason = "fell " + maxQueued + " messages behind";
                return false;
            }
            queue.addLast(item);
            return true;
        }
    }

    /** Queues {@code text} and then ends the stream once everything queued has been written. */
    void finishWith(String text) {
        synchronized (lock) {
            if (closed || finishing) {
                return;
            }
            if (text != null) {
                queue.addLast(text);
            }
            finishing = true;
        }
        flush();
    }

    @Override
    public void flush() {
        while (true) {
            Sink s;
            String batch;
            Write write = new Write();
            boolean finishNow = false;
            synchronized (lock) {
                if (closed || writing || sink == null) {
                    return;
                }
                batch = nextBatch();
                if (batch == null) {
                    if (!finishing) {
                        return;
                    }
                    finishNow = true;
                } else {
                    writing = true;
                    writeStarted = System.nanoTime();
                }
                s = sink;
            }
            if (finishNow) {
                if (markClosed("finished")) {
                    s.finish();
                }
                return;
            }
            try {
                s.write(batch, write);
            } catch (RuntimeException e) {
                write.failed(e);
                return;
            }
            synchronized (lock) {
                if (!write.completed) {
                    write.async = true; // its completion resumes the pump
                    return;
                }
            }
            if (write.failure) {
                return;
            }
            // completed on this thread: loop rather than recurse
        }
    }

    private String nextBatch() {
        if (queue.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        StringBuilder group = new StringBuilder();
        Object item;
        while (b.length() + group.length() < MAX_BATCH_CHARS && (item = queue.pollFirst()) != null) {
            if (item instanceof Raw raw) {
                if (group.length() > 0) {
                    b.append(framing.apply(group.toString()));
                    group.setLength(0);
                }
                b.append(raw.text());
            } else {
                group.append(item instanceof EventHub.WireEvent e ? encoder.apply(e) : (String) item);
            }
        }
        if (group.length() > 0) {
            b.append(framing.apply(group.toString()));
        }
        return b.toString();
    }

    /** Drops the client's connection at once (it fell behind, timed out, or the hub shuts it). */
    @Override
    public void close() {
        abort(closeReason != null ? closeReason : "closed by the server");
    }

    /** Drops the connection at once. */
    void abort(String reason) {
        Sink s;
        synchronized (lock) {
            s = sink;
        }
        if (markClosed(reason) && s != null) {
            s.abort();
        }
    }

    /** The transport saw the client go away. */
    void disconnected() {
        markClosed("client disconnected");
    }

    private boolean markClosed(String reason) {
        List<Runnable> actions;
        synchronized (lock) {
            if (closed) {
                return false;
            }
            closed = true;
            if (closeReason == null) {
                closeReason = reason;
            }
            queue.clear();
            actions = List.copyOf(onClose);
            onClose.clear();
        }
        for (Runnable a : actions) {
            a.run();
        }
        return true;
    }

    boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    String closeReason() {
        synchronized (lock) {
            return closeReason;
        }
    }

    /** True if a write has been pending since before {@code deadline} (System.nanoTime). */
    boolean stalledBefore(long deadline) {
        synchronized (lock) {
            return writing && writeStarted - deadline < 0;
        }
    }

    /** True if nothing was written or queued since {@code since} (System.nanoTime). */
    boolean idleSince(long since) {
        synchronized (lock) {
            return !writing && queue.isEmpty() && lastActivity - since < 0;
        }
    }

    private final class Write implements Done {
        boolean completed;
        boolean async;
        boolean failure;

        @Override
        public void written() {
            boolean resume;
            synchronized (lock) {
                writing = false;
                completed = true;
                lastActivity = System.nanoTime();
                resume = async;
            }
            if (resume) {
                flush();
            }
        }

        @Override
        public void failed(Throwable cause) {
            synchronized (lock) {
                writing = false;
                completed = true;
                failure = true;
            }
            abort("write failed: " + cause.getClass().getSimpleName());
        }
    }
}
