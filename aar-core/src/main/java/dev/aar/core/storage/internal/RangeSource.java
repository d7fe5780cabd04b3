package dev.aar.core.storage.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/** The stored bytes of one blob, read by ranges (a {@code BlobStore}'s ranged reads). */
public interface RangeSource {

    /** Returns the stored size. */
    long size();

    /** Opens {@code length} stored bytes from {@code offset}; fewer where the blob ends first. */
    InputStream open(long offset, long length) throws IOException;

    /** Reads {@code length} bytes from {@code offset} into an array; fewer only where the blob ends first. */
    default byte[] read(long offset, int length) throws IOException {
        try (InputStream in = open(offset, length)) {
            return in.readNBytes(length);
        }
    }

    /** Fills {@code dst} from {@code offset} (one ranged read); returns how many bytes it got. */
    default int read(long offset, ByteBuffer dst) throws IOException {
        int want = dst.remaining();
        try (InputStream in = open(offset, want)) {
            if (dst.hasArray()) {
                int n = in.readNBytes(dst.array(), dst.arrayOffset() + dst.position(), want);
                dst.position(dst.position() + n);
                return n;
            }
            byte[] b = in.readNBytes(want);
            dst.put(b);
            return b.length;
        }
    }
}
