package dev.aar.azure.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.Arrays;

/**
 * Cuts a stream into blocks of one size and tells the last block from a full one with more behind
 * it, so a blob that fits one block can be sent as a single Put Blob.
 *
 * <p>Holds one block of memory. Exceptions thrown by the stream pass through unchanged.
 */
public final class BlockReader {

    private final PushbackInputStream in;
    private final byte[] buffer;

    public BlockReader(InputStream data, int blockSize) {
        this.in = new PushbackInputStream(data, 1);
        this.buffer = new byte[blockSize];
    }

    /**
     * Returns the next block: full-sized except at the end, empty once the stream is exhausted.
     * The array is reused by the following call, so send it before reading on.
     */
    public byte[] next() throws IOException {
        int filled = 0;
        while (filled < buffer.length) {
            int n = in.read(buffer, filled, buffer.length - filled);
            if (n < 0) {
                break;
            }
            filled += n;
        }
        return filled == buffer.length ? buffer : Arrays.copyOf(buffer, filled);
    }

    /** Returns whether the stream has no byte left, without losing one. */
    public boolean atEnd() throws IOException {
        int next = in.read();
        if (next < 0) {
            return true;
        }
        in.unread(next);
        return false;
    }
}
