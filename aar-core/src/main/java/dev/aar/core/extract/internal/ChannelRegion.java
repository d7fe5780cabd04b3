package dev.aar.core.extract.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Reads {@code [start, end)} of a file with positional reads, so many threads can share one channel. */
final class ChannelRegion extends InputStream {

    private final FileChannel channel;
    private long position;
    private final long end;

    ChannelRegion(FileChannel channel, long start, long end) {
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
        int r = channel.read(ByteBuffer.wrap(b, off, n), position);
        if (r <= 0) {
            return -1;
        }
        position += r;
        return r;
    }
}
