package dev.aar.core.storage.internal;

import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import com.google.crypto.tink.subtle.StreamSegmentEncrypter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;


/**
 * Turns a plaintext stream into one sealed stream (header, records, terminator) as it is read. Each record
 * is one Tink segment: the plaintext (deflated by zlib when it compresses) is read into a segment buffer and
 * encrypted by Tink's AES256_GCM_HKDF segment encrypter straight into the record, the first record
 * beginning with Tink's stream header, so the records' bodies concatenated are exactly the ciphertext of
 * Tink's encrypting stream, without its buffering and copies. Memory stays at two segments. A failure of the
 * source propagates unchanged, so the store below discards what it read. {@link #close()} leaves the source
 * open: whoever passed it in owns it.
 */
public final class SealingInputStream extends ChunkedInputStream {

    /** How much plaintext decides whether a stream is deflated, and how much is deflated at a time. */
    private static final int CHUNK = 64 * 1024;

    private final InputStream source;
    private final int type;
    private final int partNumber;
    private final String uploadId;
    private final SealingKey key;
    private final int recordSize;
    private final byte[] blobKey;
    private final boolean compress;
    private final byte[] chunk = new byte[CHUNK];
    private byte[] out;
    private byte[] plain;
    private Deflater deflater;
    private StreamSegmentEncrypter encrypter;
    private int firstCapacity;
    private int capacity;
    private int probePos;
    private int probeLimit;
    private int pending = -1;
    private int outPos;
    private int outLimit;
    private boolean started;
    private boolean sourceDone;
    private boolean finishing;
    private boolean lastWritten;
    private boolean ended;
    private int segment;
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
        if (lastWritten) {
            putInt(out, 0, 0);
            outLimit = 4;
            ended = true; // the terminator
            return true;
        }
        int length;
        if (encrypter == null) {
            int n = fill(out, 4, recordSize);
            lastWritten = atEnd();
            if (n == 0) {
                return nextOutput(); // an empty stream: no record, only the terminator
            }
            CRC32 crc = new CRC32();
            crc.update(out, 4, n);
            putInt(out, 4 + n, (int) crc.getValue());
            length = n;
            outLimit = 4 + n + 4;
        } else {
            int n = fill(plain, 0, segment == 0 ? firstCapacity : capacity);
            lastWritten = atEnd();
            ByteBuffer ct = ByteBuffer.wrap(out, 4, out.length - 4);
            if (segment == 0) {
                ct.put(encrypter.getHeader());
            }
            try {
                encrypter.encryptSegment(ByteBuffer.wrap(plain, 0, n), lastWritten, ct);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Tink refused to encrypt a segment", e);
            }
            length = ct.position() - 4;
            outLimit = 4 + length;
        }
        putInt(out, 0, length);
        segment++;
        return true;
    }

    /** Reads (and deflates) up to {@code cap} bytes of payload into {@code buf}; returns how many. */
    private int fill(byte[] buf, int off, int cap) throws IOException {
        int count = 0;
        if (deflater != null) {
            while (count < cap && !deflater.finished()) {
                if (deflater.needsInput() && !finishing) {
                    int r = source.read(chunk, 0, CHUNK);
                    if (r < 0) {
                        finishing = true;
                        deflater.finish();
                    } else {
                        plainBytes += r;
                        deflater.setInput(chunk, 0, r);
                    }
                }
                count += deflater.deflate(buf, off + count, cap - count);
            }
            return count;
        }
        if (probePos < probeLimit) {
            count = Math.min(cap, probeLimit - probePos);
            System.arraycopy(chunk, probePos, buf, off, count);
            probePos += count;
        }
        if (count < cap && pending >= 0) {
            buf[off + count++] = (byte) pending;
            pending = -1;
        }
        while (count < cap && !sourceDone) {
            int r = source.read(buf, off + count, cap - count);
            if (r < 0) {
                sourceDone = true;
            } else {
                plainBytes += r;
                count += r;
            }
        }
        if (count == cap && !sourceDone && probePos == probeLimit && pending < 0) {
            // a full segment is the last one only if nothing follows: look one byte ahead
            pending = source.read();
            if (pending < 0) {
                sourceDone = true;
            } else {
                plainBytes++;
            }
        }
        return count;
    }

    /** Returns whether the payload has been handed out whole. */
    private boolean atEnd() {
        if (deflater != null) {
            return deflater.finished();
        }
        return sourceDone && probePos == probeLimit && pending < 0;
    }

    /** Probes the first chunk, writes the header into {@code out} and sets up the payload pipeline. */
    private int start() throws IOException {
        int probed = source.readNBytes(chunk, 0, CHUNK);
        plainBytes = probed;
        sourceDone = probed < CHUNK;
        deflater = compress && shrinks(chunk, probed) ? new Deflater(Deflater.BEST_SPEED) : null;
        if (deflater != null) {
            deflater.setInput(chunk, 0, probed);
            if (sourceDone) {
                finishing = true;
                deflater.finish();
            }
        } else {
            probeLimit = probed;
        }
        int flags = (key != null ? SealedFormat.FLAG_ENCRYPTED : 0) | (deflater != null ? SealedFormat.FLAG_DEFLATED : 0);
        byte[] header = new StreamHeader(type, flags, key != null ? key.id() : new byte[SealedFormat.KEY_ID_LENGTH],
                partNumber, recordSize, uploadId).encode();
        if (key != null) {
            AesGcmHkdfStreaming tink = key.segments(recordSize);
            try {
                encrypter = tink.newStreamSegmentEncrypter(associatedData(header, blobKey));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Tink refused to set up encryption", e);
            }
            capacity = tink.getPlaintextSegmentSize();
            firstCapacity = capacity - tink.getCiphertextOffset();
            plain = new byte[capacity];
        }
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
}
