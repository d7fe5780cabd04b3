package dev.aar.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Helpers for {@link BlobStore#get(String, long, long)}: argument checks, and a range cut from a whole stream. */
public final class BlobRange {

    private BlobRange() {
    }

    /** Checks a range's arguments. @throws IllegalArgumentException if either is negative */
    public static void check(long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("a blob range needs a non-negative offset and length, was offset "
                    + offset + ", length " + length);
        }
    }

    /**
     * Skips {@code offset} bytes of {@code whole} and returns a stream of at most the next {@code length};
     * closing it closes {@code whole}.
     */
    public static InputStream slice(InputStream whole, long offset, long length) {
        try {
            whole.skipNBytes(offset);
        } catch (java.io.EOFException e) {
            return limited(whole, 0); // the range starts past the end: no bytes
        } catch (IOException e) {
            closeQuietly(whole);
            throw new UncheckedIOException("cannot skip to offset " + offset + ": " + e.getMessage(), e);
        }
        return limited(whole, length);
    }

    private static InputStream limited(InputStream in, long length) {
        return new FilterInputStream(in) {
            private long left = length;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int b = super.read();
                if (b >= 0) {
                    left--;
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (left <= 0) {
                    return -1;
                }
                int n = super.read(b, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                long s = super.skip(Math.min(Math.max(n, 0), left));
                left -= s;
                return s;
            }

            @Override
            public int available() throws IOException {
                return (int) Math.min(super.available(), left);
            }

            @Override
            public boolean markSupported() {
                return false;
            }
        };
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // already failing
        }
    }
}
