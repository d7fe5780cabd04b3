package dev.aar.azure;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** A response body that never ends: {@code start}, then {@code repeated} for ever; counts what it served. */
public final class EndlessBody extends InputStream {
    private final byte[] start;
    private final byte[] repeated;
    private volatile long served;
    private volatile boolean closed;

    public EndlessBody(String start, String repeated) {
        this.start = start.getBytes(StandardCharsets.UTF_8);
        this.repeated = repeated.getBytes(StandardCharsets.UTF_8);
    }

    /** Returns how many bytes were read so far. */
    public long served() {
        return served;
    }

    /** Returns whether the reader closed it. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public int read() {
        long at = served;
        byte b = at < start.length ? start[(int) at] : repeated[(int) ((at - start.length) % repeated.length)];
        served = at + 1;
        return b & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            b[off + i] = (byte) read();
        }
        return len;
    }

    @Override
    public void close() {
        closed = true;
    }
}
