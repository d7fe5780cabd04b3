package dev.aar.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one connection that {@code LISTEN}s on a channel and calls back with every notification's
 * payload.
 *
 * <p>The connection is dedicated for the listener's whole life (a pooled one is borrowed and kept).
 * If it breaks, the listener reconnects after a delay and calls back once, since notifications sent
 * while it was away are lost; that call passes null for the payload.
 */
public final class PgListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PgListener.class);
    /** How long one wait for notifications blocks, so that close() is noticed promptly. */
    private static final int POLL_MILLIS = 250;

    private final DataSource dataSource;
    private final String channel;
    private final Duration reconnectDelay;
    private final Consumer<String> onNotification;
    private final Thread thread;
    private volatile boolean closed;

    private PgListener(DataSource dataSource, String channel, Duration reconnectDelay, Consumer<String> onNotification) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.reconnectDelay = reconnectDelay;
        this.onNotification = onNotification;
        this.thread = new Thread(this::run, "aar-jdbc-listen-" + channel);
        this.thread.setDaemon(true);
    }

    public static PgListener start(DataSource dataSource, String channel, Duration reconnectDelay, Consumer<String> onNotification) {
        PgListener listener = new PgListener(dataSource, channel, reconnectDelay, onNotification);
        listener.thread.start();
        return listener;
    }

    private void run() {
        boolean first = true;
        while (!closed) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + quoted(channel));
                }
                if (!first) {
                    onNotification.accept(null); // whatever was announced while we were away
                }
                first = false;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notes = pg.getNotifications(POLL_MILLIS);
                    if (notes != null) {
                        for (PGNotification note : notes) {
                            onNotification.accept(note.getParameter());
                        }
                    }
                }
                try (Statement s = c.createStatement()) {
                    s.execute("UNLISTEN *"); // the connection may go back to the host's pool
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                log.warn("LISTEN {} failed, reconnecting in {}: {}", channel, reconnectDelay, e.toString());
                first = false;
                sleep(reconnectDelay);
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public void close() {
        closed = true;
        try {
            thread.join(POLL_MILLIS * 4L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
