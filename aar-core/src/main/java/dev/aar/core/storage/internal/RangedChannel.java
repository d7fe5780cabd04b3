package dev.aar.core.storage.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A read-only {@link SeekableByteChannel} over a {@link RangeSource}: small reads are served from a window
 * fetched with one ranged read, so a reader of headers does not cost a request per header. Its methods are
 * synchronized so that positional readers may share it.
 */
public final class RangedChannel implements SeekableByteChannel {

    /** Bytes fetched at once for reads smaller than this. */
    static final int WINDOW = 1 << 20;

    private final RangeSource source;
    private final long size;
    private long position;
    private byte[] window = new byte[0];
    private long windowStart;
    private boolean open = true;

    public RangedChannel(RangeSource source) {
        this.source = source;
        this.size = source.size();
    }

    @Override
    public synchronized int read(ByteBuffer dst) throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (position >= size) {
            return -1;
        }
        if (position < windowStart || position >= windowStart + window.length) {
            if (dst.remaining() >= WINDOW) {
                int n = source.read(position, dst);
                if (n <= 0) {
                    throw new IOException("the blob ended at byte " + position + " of " + size);
                }
                position += n;
                return n;
            }
            window = source.read(position, (int) Math.min(WINDOW, size - position));
            windowStart = position;
            if (window.length == 0) {
                throw new IOException("the blob ended at byte " + position + " of " + size);
            }
        }
        int at = (int) (position - windowStart);
        int n = Math.min(dst.remaining(), window.length - at);
        dst.put(window, at, n);
        position += n;
        return n;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public synchronized long position() {
        return position;
    }

    @Override
    public synchronized SeekableByteChannel position(long newPosition) {
        if (newPosition < 0) {
            throw new IllegalArgumentException("position must not be negative, was " + newPosition);
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public SeekableByteChannel truncate(long newSize) {
        throw new NonWritableChannelException();
    }

    @Override
    public synchronized boolean isOpen() {
        return open;
    }

    @Override
    public synchronized void close() {
        open = false;
        window = new byte[0];
    }
}
