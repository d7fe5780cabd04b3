package dev.aar.core.storage.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A read-only {@link SeekableByteChannel} over a {@link RangeSource}: small reads are served from the last
 * few aligned blocks, each fetched with one ranged read, so a reader of headers does not cost a request per
 * header. Its methods are
 * synchronized so that positional readers may share it.
 */
public final class RangedChannel extends ReadOnlyChannel {

    /** Bytes fetched at once (aligned) for reads smaller than this. */
    static final int BLOCK = 256 * 1024;

    private final RangeSource source;
    private final RecentBlocks recent = new RecentBlocks();

    public RangedChannel(RangeSource source) {
        super(source.size());
        this.source = source;
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
        long blockStart = position - position % BLOCK;
        byte[] block = recent.get(blockStart);
        if (block == null && dst.remaining() >= BLOCK) {
            int n = source.read(position, dst); // a large read needs no block
            if (n <= 0) {
                throw new IOException("the blob ended at byte " + position + " of " + size);
            }
            position += n;
            return n;
        }
        if (block == null) {
            block = source.read(blockStart, (int) Math.min(BLOCK, size - blockStart));
            if (block.length <= position - blockStart) {
                throw new IOException("the blob ended at byte " + position + " of " + size);
            }
            recent.put(blockStart, block);
        }
        int at = (int) (position - blockStart);
        int n = Math.min(dst.remaining(), block.length - at);
        dst.put(block, at, n);
        position += n;
        return n;
    }

    @Override
    public synchronized void close() {
        open = false;
        recent.clear();
    }
}
