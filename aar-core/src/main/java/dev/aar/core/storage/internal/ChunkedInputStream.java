package dev.aar.core.storage.internal;

import java.io.IOException;
import java.io.InputStream;

/** An input stream that produces bytes in blocks: the single-byte read goes through the block read. */
abstract class ChunkedInputStream extends InputStream {

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public abstract int read(byte[] b, int off, int len) throws IOException;
}
