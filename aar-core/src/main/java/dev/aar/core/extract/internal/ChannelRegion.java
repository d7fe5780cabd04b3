package dev.aar.core.extract.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;

/**
 * Reads {@code [start, end)} of a channel with positional reads, so many threads can share one channel: a
 * file's reads are positional, any other channel is positioned and read under its lock.
 */
final class ChannelRegion extends InputStream {

    private final SeekableByteChannel channel;
    private long position;
    private final long end;

    ChannelRegion(SeekableByteChannel channel, long start, long end) {
        this.channel = channel;
        this.position = start;
        this.end = end;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (position >= end) {
            return -1;
        }
        int n = (int) Math.min(len, end - position);
        int r = read(channel, ByteBuffer.wrap(b, off, n), position);
        if (r <= 0) {
            return -1;
        }
        position += r;
        return r;
    }

    /** Reads into {@code dst} from {@code position} of {@code channel}, without disturbing other readers. */
    static int read(SeekableByteChannel channel, ByteBuffer dst, long position) throws IOException {
        if (channel instanceof FileChannel file) {
            return file.read(dst, position);
        }
        synchronized (channel) {
            channel.position(position);
            return channel.read(dst);
        }
    }
}
