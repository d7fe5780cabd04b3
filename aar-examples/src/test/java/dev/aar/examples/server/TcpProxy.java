package dev.aar.examples.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Forwards TCP connections from a local port to a target; {@link #stop()} cuts every connection, like a crashed database. */
public final class TcpProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicLong forwarded = new java.util.concurrent.atomic.AtomicLong();
    private volatile long cutAfterBytes = Long.MAX_VALUE;
    private volatile ServerSocket server;
    private int port;

    public TcpProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    /** Listens (again) on the same port as before, or a free one the first time. */
    public synchronized TcpProxy start() throws IOException {
        forwarded.set(0);
        cutAfterBytes = Long.MAX_VALUE;
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress("127.0.0.1", port));
        port = s.getLocalPort();
        server = s;
        Thread t = new Thread(() -> accept(s), "tcp-proxy-accept");
        t.setDaemon(true);
        t.start();
        return this;
    }

    public int port() {
        return port;
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                Socket upstream = new Socket(targetHost, targetPort);
                if (!register(s, client, upstream)) {
                    return; // stopped while this connection was being set up: it must not outlive the cut
                }
                pump(client, upstream, true);
                pump(upstream, client, false);
            } catch (IOException e) {
                return; // stopped
            }
        }
    }

    private synchronized boolean register(ServerSocket s, Socket client, Socket upstream) {
        if (s.isClosed() || server != s) {
            closeQuietly(client);
            closeQuietly(upstream);
            return false;
        }
        sockets.add(client);
        sockets.add(upstream);
        return true;
    }

    /** Stops the proxy (every connection cut) once this many bytes went from clients to the target; applies until {@link #start()}. */
    public TcpProxy cutAfter(long bytes) {
        this.cutAfterBytes = bytes;
        return this;
    }

    private void pump(Socket from, Socket to, boolean upstream) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (upstream && forwarded.get() >= cutAfterBytes) {
                        break; // cut: nothing more reaches the target, even on a connection the stop has not closed yet
                    }
                    out.write(buf, 0, n);
                    out.flush();
                    if (upstream && forwarded.addAndGet(n) >= cutAfterBytes) {
                        stop();
                    }
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Stops listening and cuts every open connection. */
    public synchronized void stop() {
        closeQuietly(server);
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    @Override
    public void close() {
        stop();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception ignored) {
            // already closed
        }
    }
}
