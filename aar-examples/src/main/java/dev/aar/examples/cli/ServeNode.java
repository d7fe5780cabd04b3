package dev.aar.examples.cli;

import dev.aar.core.Aar;
import dev.aar.examples.server.AarServer;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running {@code aar serve} process: its HTTP server (if any) and its SDK instance, closed in that order. */
final class ServeNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServeNode.class);

    private final Aar aar;
    private final AarServer server;
    private final Deque<AutoCloseable> extras = new ArrayDeque<>();
    private boolean closed;

    ServeNode(Aar aar, AarServer server) {
        this.aar = aar;
        this.server = server;
    }

    /** Closes {@code resource} after the server stops and before the SDK closes (an event subscription). */
    ServeNode closing(AutoCloseable resource) {
        extras.push(resource);
        return this;
    }

    Aar aar() {
        return aar;
    }

    /** Returns the HTTP port. */
    int port() {
        return server.port();
    }

    /** Stops taking requests, then stops the workers (a running job is checkpointed and released) and the backends. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } catch (RuntimeException e) {
            log.warn("stopping the HTTP server failed", e);
        }
        while (!extras.isEmpty()) {
            AutoCloseable c = extras.pop();
            try {
                c.close();
            } catch (Exception e) {
                log.warn("closing {} failed", c, e);
            }
        }
        aar.close();
    }

}
