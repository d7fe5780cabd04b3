package dev.aar.examples.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 request written by hand on a plain socket, for what {@code HttpClient} will not send:
 * a chunked body that never ends, a body slower than any client would be, a body shorter than its
 * {@code Content-Length}.
 */
final class RawHttp implements AutoCloseable {

    final Socket socket;
    final OutputStream out;
    final InputStream in;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    /** Connects and sends the request line and headers ({@code headers} as {@code "Name: value"} lines). */
    static RawHttp start(int port, String method, String path, String... headers) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(60_000); // generous: a test waits for a condition, this only stops a hang
        RawHttp raw = new RawHttp(s);
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String h : headers) {
            head.append(h).append("\r\n");
        }
        head.append("\r\n");
        raw.out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        raw.out.flush();
        return raw;
    }

    /** Sends one chunk of a chunked body. */
    void chunk(byte[] data) throws IOException {
        out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    void send(byte[] data) throws IOException {
        out.write(data);
        out.flush();
    }

    /** What came back: the status (0 when the server closed without answering) and everything after the head. */
    record Response(int status, String head, String body) {
        boolean hasCode(String code) {
            return body.contains("\"code\":\"" + code + "\"");
        }

        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    /**
     * Waits up to {@code wait} for the server to start answering: the answer, or null if none began in
     * that time. A sender that trickles its body waits here between bytes, so it reads the answer the
     * moment it comes instead of sleeping past it.
     */
    Response answerWithin(java.time.Duration wait) throws IOException {
        int first;
        socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
        try {
            first = in.read();
        } catch (SocketTimeoutException nothingYet) {
            return null;
        } catch (IOException reset) {
            return new Response(0, "", "");
        } finally {
            socket.setSoTimeout(60_000);
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        if (first >= 0) {
            all.write(first);
        }
        return first < 0 ? response(all) : read(all);
    }

    /** Reads the answer until the server closes the connection or the socket times out. */
    Response read() throws IOException {
        return read(new ByteArrayOutputStream());
    }

    private Response read(ByteArrayOutputStream all) throws IOException {
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                all.write(buf, 0, n);
                if (complete(all.toString(StandardCharsets.ISO_8859_1))) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            // reset by the server after it answered: what arrived is the answer
        }
        return response(all);
    }

    private static Response response(ByteArrayOutputStream all) {
        String text = all.toString(StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || end < 0) {
            return new Response(0, "", text);
        }
        return new Response(Integer.parseInt(text.substring(9, 12)), text.substring(0, end), text.substring(end + 4));
    }

    /** True once the head and a body of its Content-Length have arrived. */
    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        for (String line : text.substring(0, end).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return text.length() - end - 4 >= Long.parseLong(line.substring(15).trim());
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
