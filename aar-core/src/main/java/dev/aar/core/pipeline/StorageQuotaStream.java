package dev.aar.core.pipeline;

import dev.aar.core.error.QuotaExceededException;
import dev.aar.core.quota.QuotaService;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Holds storage quota ahead of the bytes read from a direct upload, so an upload over the
 * organization's storage quota stops within one {@link #STEP} instead of after it was written in full.
 *
 * <p>A known length is reserved before the first byte is read; beyond it (or without one) the
 * stream reserves a step at a time, and near the limit exactly what was read, so a file that fits
 * is never refused because of the step size. {@link #settle} gives back what was held but not read.
 */
final class StorageQuotaStream extends FilterInputStream {

    /** How far ahead of the bytes read the quota is reserved: one store update per step, not per buffer. */
    static final long STEP = 8L * 1024 * 1024;

    /** Carries a refused reservation through the blob store, which sees only I/O failures. */
    static final class OverQuota extends IOException {
        final transient QuotaExceededException exceeded;

        OverQuota(QuotaExceededException exceeded) {
            super(exceeded.getMessage());
            this.exceeded = exceeded;
        }
    }

    private final QuotaService quotas;
    private final String organizationId;
    private long read;
    private long reserved;

    /**
     * @param declaredLength the body's length when the client sent one, else a negative number
     * @throws QuotaExceededException when the declared length does not fit, before anything is read
     */
    StorageQuotaStream(InputStream in, QuotaService quotas, String organizationId, long declaredLength) {
        super(in);
        this.quotas = quotas;
        this.organizationId = organizationId;
        if (declaredLength > 0) {
            quotas.reserveStorage(organizationId, declaredLength);
            reserved = declaredLength;
        }
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    private void counted(int n) throws IOException {
        read += n;
        if (read <= reserved) {
            return;
        }
        long needed = read - reserved;
        try {
            quotas.reserveStorage(organizationId, Math.max(STEP, needed));
            reserved += Math.max(STEP, needed);
        } catch (QuotaExceededException stepTooBig) {
            try {
                quotas.reserveStorage(organizationId, needed);
                reserved += needed;
            } catch (QuotaExceededException e) {
                throw new OverQuota(e);
            }
        }
    }

    /** Returns the bytes read so far. */
    long bytesRead() {
        return read;
    }

    /**
     * Keeps exactly {@code stored} bytes counted: gives back the rest of what was held, or holds the
     * difference when the store kept more than was read (an encryption header).
     *
     * @throws QuotaExceededException when that difference does not fit; what was held stays held
     */
    void settle(long stored) {
        long unused = reserved - stored;
        if (unused > 0) {
            quotas.releaseStorage(organizationId, unused);
        } else if (unused < 0) {
            quotas.reserveStorage(organizationId, -unused);
        }
        reserved = stored;
    }
}
