package dev.aar.core.extract.internal;

import dev.aar.core.extract.Cancellation;
import java.io.IOException;
import java.io.InputStream;

/**
 * The bytes of one archive entry handed to an {@link EntryVisitor}, capped at {@code MaxFileSizeBytes}:
 * after {@code cap + 1} bytes it reports end of data and {@link #exceededCap()} turns true, whatever
 * size the headers declared. Not thread-safe.
 */
public abstract class EntryContent extends InputStream {

    private final long cap;
    final Cancellation cancellation;
    long produced;
    boolean ended;
    int reads;
    private boolean exceeded;

    EntryContent(long cap, Cancellation cancellation) {
        this.cap = cap;
        this.cancellation = cancellation;
    }

    /** Returns whether more than the cap was read; the data was cut there. */
    public final boolean exceededCap() {
        return exceeded;
    }

    /** Returns how many bytes were handed out so far. */
    public final long bytesRead() {
        return produced;
    }

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public final int read(byte[] b, int off, int len) throws IOException {
        if (ended || exceeded) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        if ((++reads & 63) == 0) {
            cancellation.check();
        }
        int r = produce(b, off, (int) Math.min(len, cap + 1 - produced));
        if (r < 0) {
            ended = true;
            atEnd();
            return -1;
        }
        accepted(b, off, r);
        produced += r;
        if (produced > cap) {
            exceeded = true;
        }
        return r;
    }

    /** Reads up to {@code n} bytes of the entry into {@code b}, or returns -1 at its natural end. */
    abstract int produce(byte[] b, int off, int n) throws IOException;

    /** Sees {@code r} bytes before they are handed out (a checksum, a budget). */
    void accepted(byte[] b, int off, int r) {
    }

    /** Called once the entry was read to its natural end (checks declared sizes, checksums). */
    void atEnd() {
    }
}
