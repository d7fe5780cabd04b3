package dev.aar.core.storage.internal;

import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * What the read-only seekable channels of this package share: a position, a fixed size, no writing.
 * Subclasses read from {@link #position} and move it. The methods touching the position are
 * synchronized, so positional readers may share a channel when the subclass's {@code read} is too.
 */
abstract class ReadOnlyChannel implements SeekableByteChannel {

    protected final long size;
    protected long position;
    protected boolean open = true;

    ReadOnlyChannel(long size) {
        this.size = size;
    }

    @Override
    public final int write(ByteBuffer src) {
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
    public final long size() {
        return size;
    }

    @Override
    public final SeekableByteChannel truncate(long newSize) {
        throw new NonWritableChannelException();
    }

    @Override
    public synchronized boolean isOpen() {
        return open;
    }

    @Override
    public synchronized void close() throws java.io.IOException {
        open = false;
    }
}
