package dev.aar.core.storage.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Turns a plaintext stream into one sealed stream (header, records, terminator) as it is read: the
 * plaintext goes through zlib (when it compresses) and Tink's encrypting stream into a buffer that
 * is handed out as records, so memory stays at about two segments. A failure of the source
 * propagates unchanged, so the store below discards what it read. {@link #close()} leaves the
 * source open: whoever passed it in owns it.
 */
public final class SealingInputStream extends ChunkedInputStream {

    /** How much plaintext decides whether a stream is deflated, and how much is read at a time. */
    private static final int CHUNK = 64 * 1024;

    private final InputStream source;
    private final int type;
    private final int partNumber;
    private final String uploadId;
    private final SealingKey key;
    private final int recordSize;
    private final byte[] blobKey;
    private final boolean compress;
    private final Buffer sink = new Buffer();
    private final byte[] chunk = new byte[CHUNK];
    private byte[] out;
    private Deflater deflater;
    private OutputStream payload;
    private int outPos;
    private int outLimit;
    private boolean started;
    private boolean sourceDone;
    private boolean payloadClosed;
    private boolean ended;
    private long plainBytes;

    /**
     * @param key the storage key, or null to frame (and checksum) without encrypting
     * @param compress whether to deflate the stream if its first 64 KiB shrink by at least 1/32
     */
    public SealingInputStream(InputStream source, int type, int partNumber, String uploadId, SealingKey key,
            int segmentSize, byte[] blobKey, boolean compress) {
        this.source = source;
        this.type = type;
        this.partNumber = partNumber;
        this.uploadId = uploadId;
        this.key = key;
        this.recordSize = segmentSize;
        this.blobKey = blobKey;
        this.compress = compress;
    }

    /** Returns the associated data of a stream's ciphertext: its header, then the blob key. */
    public static byte[] associatedData(byte[] header, byte[] blobKey) {
        byte[] ad = Arrays.copyOf(header, header.length + blobKey.length);
        System.arraycopy(blobKey, 0, ad, header.length, blobKey.length);
        return ad;
    }

    /** Returns how many plaintext bytes were read from the source so far. */
    public long plainBytes() {
        return plainBytes;
    }


    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (outPos == outLimit) {
            if (!nextOutput()) {
                return -1;
            }
        }
        int n = Math.min(len, outLimit - outPos);
        System.arraycopy(out, outPos, b, off, n);
        outPos += n;
        return n;
    }

    /** Fills {@code out} with the header, the next record or the terminator; returns false after the terminator. */
    private boolean nextOutput() throws IOException {
        outPos = 0;
        if (!started) {
            started = true;
            outLimit = start();
            return true;
        }
        if (ended) {
            outLimit = 0;
            return false;
        }
        while (sink.size() < recordSize && !sourceDone) {
            int n = source.read(chunk, 0, CHUNK);
            if (n < 0) {
                sourceDone = true;
            } else {
                plainBytes += n;
                payload.write(chunk, 0, n);
            }
        }
        if (sourceDone && !payloadClosed) {
            payloadClosed = true;
            payload.close(); // the deflater's end and Tink's last segment
        }
        int length = Math.min(recordSize, sink.size());
        putInt(out, 0, length);
        sink.take(out, 4, length);
        outLimit = 4 + length;
        if (length == 0) {
            ended = true; // the terminator
        } else if (key == null) {
            CRC32 crc = new CRC32();
            crc.update(out, 4, length);
            putInt(out, outLimit, (int) crc.getValue());
            outLimit += 4;
        }
        return true;
    }

    /** Probes the first chunk, writes the header into {@code out} and sets up the payload pipeline. */
    private int start() throws IOException {
        int probed = source.readNBytes(chunk, 0, CHUNK);
        plainBytes = probed;
        sourceDone = probed < CHUNK;
        deflater = compress && shrinks(chunk, probed) ? new Deflater(Deflater.BEST_SPEED) : null;
        int flags = (key != null ? SealedFormat.FLAG_ENCRYPTED : 0) | (deflater != null ? SealedFormat.FLAG_DEFLATED : 0);
        byte[] header = new StreamHeader(type, flags, key != null ? key.id() : new byte[SealedFormat.KEY_ID_LENGTH],
                partNumber, recordSize, uploadId).encode();
        OutputStream p = sink;
        if (key != null) {
            try {
                p = key.streamingAead(recordSize).newEncryptingStream(sink, associatedData(header, blobKey));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Tink refused to set up encryption", e);
            }
        }
        payload = deflater != null ? new DeflaterOutputStream(p, deflater, CHUNK) : p;
        payload.write(chunk, 0, probed);
        out = new byte[Math.max(header.length, 4 + recordSize + 4)];
        System.arraycopy(header, 0, out, 0, header.length);
        return header.length;
    }

    /** Returns whether deflating {@code n} bytes saves at least 1/32 of them. */
    private static boolean shrinks(byte[] data, int n) {
        if (n == 0) {
            return false;
        }
        Deflater probe = new Deflater(Deflater.BEST_SPEED);
        try {
            probe.setInput(data, 0, n);
            probe.finish();
            byte[] scratch = new byte[n];
            int limit = n - n / 32;
            int length = 0;
            while (!probe.finished() && length < limit) {
                length += probe.deflate(scratch, length, limit - length);
            }
            return probe.finished() && length < limit;
        } finally {
            probe.end();
        }
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    /** Frees the compressor; the source is left open, since its caller owns it. */
    @Override
    public void close() {
        if (deflater != null) {
            deflater.end();
        }
    }

    /** A growable byte buffer that hands out its oldest bytes. */
    private static final class Buffer extends OutputStream {
        private byte[] buf = new byte[CHUNK];
        private int count;

        int size() {
            return count;
        }

        void take(byte[] dst, int at, int n) {
            System.arraycopy(buf, 0, dst, at, n);
            System.arraycopy(buf, n, buf, 0, count - n);
            count -= n;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (count + len > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + len));
            }
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }
    }
}
