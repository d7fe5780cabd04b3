package dev.aar.core.extract.internal;

import java.io.IOException;
import java.io.InputStream;

/**
 * The bytes of one archive entry handed to an {@link EntryVisitor}, capped at {@code MaxFileSizeBytes}:
 * after {@code cap + 1} bytes it reports end of data and {@link #exceededCap()} turns true, whatever
 * size the headers declared. Not thread-safe.
 */
public abstract class EntryContent extends InputStream {

    /** Returns whether more than the cap was read; the data was cut there. */
    public abstract boolean exceededCap();

    /** Returns how many bytes were handed out so far. */
    public abstract long bytesRead();

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }
}
