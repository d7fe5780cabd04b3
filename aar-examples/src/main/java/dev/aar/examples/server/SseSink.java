package dev.aar.examples.server;

import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * A {@code text/event-stream} response written with the servlet's non-blocking output
 * ({@link WriteListener}): a write starts only when the connection can take it and completes
 * when it went out, so a client that stops reading never holds a thread.
 */
final class SseSink implements StreamOutbox.Sink, WriteListener {

    static final String EVENT_STREAM = "text/event-stream";

    private enum Stage { IDLE, WRITE, FLUSH, WAIT }

    private final Context ctx;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private ServletOutputStream out;
    private byte[] bytes;
    private StreamOutbox.Done done;
    private Stage stage = Stage.IDLE;

    private SseSink(Context ctx) {
        this.ctx = ctx;
    }

    /**
     * Answers {@code ctx} with an event stream written from {@code outbox}; returns at once, the
     * stream lives on until the outbox closes.
     */
    static void open(Context ctx, StreamOutbox outbox) {
        open(ctx, outbox, UnaryOperator.identity());
    }

    /**
     * Like {@link #open(Context, StreamOutbox)}, with {@code framing} wrapping each batch of the
     * outbox's messages into events.
     */
    static void open(Context ctx, StreamOutbox outbox, UnaryOperator<String> framing) {
        ctx.status(200);
        ctx.res().setCharacterEncoding("UTF-8");
        ctx.res().setContentType(EVENT_STREAM);
        ctx.header("Cache-Control", "no-cache");
        ctx.header("X-Accel-Buffering", "no"); // nginx: do not buffer the stream
        SseSink sink = new SseSink(ctx);
        ctx.future(() -> {
            // Javalin has started the request's async mode: now the output may go non-blocking
            try {
                // the stream lives as long as the client reads it; heartbeats and the write timeout end it otherwise
                ctx.req().getAsyncContext().setTimeout(0);
                sink.out = ctx.res().getOutputStream();
                sink.out.setWriteListener(sink);
            } catch (IOException | RuntimeException e) {
                outbox.disconnected();
                sink.ended.complete(null);
                return sink.ended;
            }
            outbox.onClose(() -> sink.ended.complete(null));
            // a comment first: the response (and the client's "open") must not wait for the first event
            outbox.offerFirst(new StreamOutbox.Raw(":\n\n"));
            outbox.attach(sink, framing);
            return sink.ended;
        });
    }

    @Override
    public synchronized void write(String text, StreamOutbox.Done done) {
        if (stage != Stage.IDLE) {
            throw new IllegalStateException("a write is already pending");
        }
        this.bytes = text.getBytes(StandardCharsets.UTF_8);
        this.done = done;
        this.stage = Stage.WRITE;
        step();
    }

    @Override
    public void onWritePossible() {
        synchronized (this) {
            step();
        }
    }

    /** Advances the pending write as far as the connection allows; called with the monitor held. */
    private void step() {
        try {
            while (stage != Stage.IDLE && out.isReady()) {
                switch (stage) {
                    case WRITE -> {
                        out.write(bytes);
                        bytes = null;
                        stage = Stage.FLUSH;
                    }
                    case FLUSH -> {
                        out.flush();
                        stage = Stage.WAIT;
                    }
                    case WAIT -> {
                        StreamOutbox.Done d = done;
                        done = null;
                        stage = Stage.IDLE;
                        d.written(); // may start the next write on this thread: the monitor is reentrant
                    }
                    default -> throw new IllegalStateException(stage.name());
                }
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    @Override
    public void onError(Throwable t) {
        synchronized (this) {
            fail(t);
        }
    }

    private void fail(Throwable t) {
        StreamOutbox.Done d = done;
        done = null;
        stage = Stage.IDLE;
        if (d != null) {
            d.failed(t);
        } else {
            abort();
        }
    }

    @Override
    public void abort() {
        try {
            org.eclipse.jetty.server.Request.getBaseRequest(ctx.req()).getHttpChannel()
                    .abort(new IOException("event stream dropped by the server"));
        } catch (RuntimeException e) {
            // already gone
        }
        ended.complete(null);
    }

    @Override
    public void finish() {
        ended.complete(null);
    }
}
