package dev.aar.core.extract.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.Inflater;
import org.apache.commons.compress.archivers.zip.ZipEightByteInteger;
import org.apache.commons.compress.archivers.zip.ZipLong;
import org.apache.commons.compress.archivers.zip.ZipShort;

/**
 * A buffered little-endian reader over an {@link InputStream} that knows its absolute position
 * (the values decoded by commons-compress's {@code ZipShort}/{@code ZipLong}/{@code ZipEightByteInteger}, straight from the buffer)
 * and lets an {@link Inflater} take compressed bytes straight from its buffer, so the bytes the
 * inflater did not need stay available for the next header.
 */
final class ZipInput {

    private final InputStream in;
    private final byte[] buf;
    private int pos;
    private int limit;
    private long position;

    ZipInput(InputStream in, long startPosition, int bufferSize) {
        this(in, startPosition, new byte[bufferSize]);
    }

    /** Uses {@code buffer} (a caller's reusable one) as the read buffer. */
    ZipInput(InputStream in, long startPosition, byte[] buffer) {
        this.in = in;
        this.buf = buffer;
        this.position = startPosition;
    }

    /** Returns the absolute position of the next unread byte. */
    long position() {
        return position;
    }

    /** Returns how many bytes are buffered, reading more if none are; 0 means end of input. */
    int available() throws IOException {
        if (pos < limit) {
            return limit - pos;
        }
        pos = 0;
        limit = 0;
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        if (n < 0) {
            return 0;
        }
        limit = n;
        return n;
    }

    private void require(int n) throws IOException {
        if (limit - pos >= n) {
            return;
        }
        System.arraycopy(buf, pos, buf, 0, limit - pos);
        limit -= pos;
        pos = 0;
        while (limit < n) {
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) {
                throw new EOFException("archive ends inside a header");
            }
            limit += r;
        }
    }

    int u16() throws IOException {
        require(2);
        int v = ZipShort.getValue(buf, pos);
        consume(2);
        return v;
    }

    long u32() throws IOException {
        require(4);
        long v = ZipLong.getValue(buf, pos);
        consume(4);
        return v;
    }

    /** Reads a 4-byte value without consuming it, or returns -1 at end of input. */
    long peekU32() throws IOException {
        if (limit - pos < 4) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
            while (limit < 4) {
                int r = in.read(buf, limit, buf.length - limit);
                if (r < 0) {
                    return -1;
                }
                limit += r;
            }
        }
        return ZipLong.getValue(buf, pos);
    }

    long u64() throws IOException {
        require(8);
        long v = ZipEightByteInteger.getLongValue(buf, pos);
        consume(8);
        return v;
    }

    void readFully(byte[] dst, int off, int len) throws IOException {
        while (len > 0) {
            int n = available();
            if (n == 0) {
                throw new EOFException("archive ends inside a header");
            }
            int c = Math.min(n, len);
            System.arraycopy(buf, pos, dst, off, c);
            consume(c);
            off += c;
            len -= c;
        }
    }

    /** Reads one byte, or returns -1 at end of input. */
    int read() throws IOException {
        if (available() == 0) {
            return -1;
        }
        int v = buf[pos] & 0xff;
        consume(1);
        return v;
    }

    /** Reads up to {@code len} bytes; returns 0 only at end of input. */
    int read(byte[] dst, int off, int len) throws IOException {
        int n = available();
        if (n == 0) {
            return 0;
        }
        int c = Math.min(n, len);
        System.arraycopy(buf, pos, dst, off, c);
        consume(c);
        return c;
    }

    void skip(long n) throws IOException {
        while (n > 0) {
            int a = available();
            if (a == 0) {
                throw new EOFException("archive ends inside entry data");
            }
            int c = (int) Math.min(a, n);
            consume(c);
            n -= c;
        }
    }

    /** Hands at most {@code max} buffered bytes to the inflater; returns how many, 0 at end of input. */
    int feed(Inflater inflater, long max) throws IOException {
        int a = available();
        if (a == 0) {
            return 0;
        }
        int c = (int) Math.min(a, max);
        inflater.setInput(buf, pos, c);
        return c;
    }

    /** Marks {@code n} bytes previously handed out (by {@link #feed}) as consumed. */
    void consume(int n) {
        pos += n;
        position += n;
    }
}
