package dev.aar.core.extract.internal;

import dev.aar.core.error.ArchiveRejectedException;
import dev.aar.core.error.ArchiveRejectedException.Reason;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts what passes through and refuses to read past the upload limit, so a huge stream is not read to its end. */
public final class LimitedInputStream extends FilterInputStream {

    private final long max;
    private final int maxMb;
    private long count;

    /** @param maxMb the limit in MiB ({@code MaxUploadSizeMb}) */
    public LimitedInputStream(InputStream in, int maxMb) {
        super(in);
        this.maxMb = maxMb;
        this.max = maxMb * 1024L * 1024L;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int r = super.read(b, off, len);
        if (r > 0) {
            count += r;
            if (count > max) {
                throw tooLarge("more than " + max + " bytes", maxMb);
            }
        }
        return r;
    }

    /** The refusal for an archive of {@code size} (e.g. "1234 bytes") over {@code maxMb}. */
    public static ArchiveRejectedException tooLarge(String size, int maxMb) {
        return new ArchiveRejectedException(Reason.UPLOAD_TOO_LARGE, null,
                "the archive is " + size + ", over MaxUploadSizeMb = " + maxMb + " MiB");
    }
}
