package dev.aar.core.storage.internal;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a plaintext stream into one sealed stream (header + segments) as it is read, holding at
 * most one segment in memory. A failure of the source propagates unchanged, so the store below
 * discards what it read. {@link #close()} leaves the source open: whoever passed it in owns it.
 */
public final class SealingInputStream extends InputStream {

    private static final int PROBE = 8 * 1024;

    private final InputStream source;
    private final byte[] header;
    private final byte[] blobKey;
    private final Cipher cipher;
    private final SecretKeySpec streamKey;
    private final byte[] streamNonce;
    private final Deflater deflater;
    private final byte[] plain;
    private final byte[] packed;
    private byte[] out;
    private int outPos;
    private int outLimit;
    private boolean headerSent;
    private boolean lastSent;
    private int pending = -1;
    private long index;
    private long plainBytes;

    /**
     * @param masterKey the 32-byte key, or null to frame without encrypting
     * @param compress whether to deflate segments that shrink
     */
    public SealingInputStream(InputStream source, StreamHeader header, byte[] masterKey, byte[] blobKey, boolean compress) {
        this.source = source;
        this.header = header.encode();
        this.blobKey = blobKey;
        int segmentSize = header.segmentSize();
        this.plain = new byte[segmentSize];
        this.packed = compress ? new byte[segmentSize] : null;
        this.deflater = compress ? new Deflater(Deflater.BEST_SPEED, true) : null;
        this.out = new byte[Math.max(this.header.length, 5 + segmentSize + SealedFormat.TAG_LENGTH + 4)];
        if (masterKey != null) {
            this.streamKey = SealedFormat.streamKey(masterKey, header.salt());
            this.streamNonce = header.nonce();
            try {
                this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES/GCM is missing from this JDK", e);
            }
        } else {
            this.streamKey = null;
            this.streamNonce = null;
            this.cipher = null;
        }
    }

    /** Returns how many plaintext bytes were read from the source so far. */
    public long plainBytes() {
        return plainBytes;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (outPos == outLimit) {
            if (!headerSent) {
                System.arraycopy(header, 0, out, 0, header.length);
                outPos = 0;
                outLimit = header.length;
                headerSent = true;
            } else if (lastSent) {
                return -1;
            } else {
                nextSegment();
            }
        }
        int n = Math.min(len, outLimit - outPos);
        System.arraycopy(out, outPos, b, off, n);
        outPos += n;
        return n;
    }

    private void nextSegment() throws IOException {
        int n = 0;
        if (pending >= 0) {
            plain[n++] = (byte) pending;
            pending = -1;
        }
        n += source.readNBytes(plain, n, plain.length - n);
        boolean last = n < plain.length;
        if (!last) {
            int next = source.read();
            if (next == -1) {
                last = true;
            } else {
                pending = next;
            }
        }
        plainBytes += n;

        byte[] body = plain;
        int bodyLength = n;
        int segFlags = last ? SealedFormat.SEG_LAST : 0;
        int packedLength = deflate(n);
        if (packedLength >= 0) {
            body = packed;
            bodyLength = packedLength;
            segFlags |= SealedFormat.SEG_DEFLATED;
        }

        int payloadStart = 5;
        int payloadLength;
        if (cipher != null) {
            try {
                cipher.init(Cipher.ENCRYPT_MODE, streamKey,
                        new GCMParameterSpec(SealedFormat.TAG_LENGTH * 8, SealedFormat.segmentNonce(streamNonce, index)));
                cipher.updateAAD(header);
                cipher.updateAAD(blobKey);
                cipher.updateAAD(SealedFormat.segmentAad(index, segFlags));
                payloadLength = cipher.doFinal(body, 0, bodyLength, out, payloadStart);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES/GCM encryption failed", e);
            }
        } else {
            System.arraycopy(body, 0, out, payloadStart, bodyLength);
            CRC32 crc = new CRC32();
            crc.update(plain, 0, n);
            putInt(out, payloadStart + bodyLength, (int) crc.getValue());
            payloadLength = bodyLength + 4;
        }
        out[0] = (byte) segFlags;
        putInt(out, 1, payloadLength);
        outPos = 0;
        outLimit = payloadStart + payloadLength;
        index++;
        lastSent = last;
    }

    /** Deflates plain[0..n) into packed; returns its length, or -1 when it would not save at least 1/32. */
    private int deflate(int n) {
        if (deflater == null || n == 0) {
            return -1;
        }
        // a cheap probe first: already-compressed data (most uploads are zips) fails it at a fraction of the cost
        int probe = Math.min(n, PROBE);
        if (probe < n && deflateInto(probe) < 0) {
            return -1;
        }
        return deflateInto(n);
    }

    private int deflateInto(int n) {
        deflater.reset();
        deflater.setInput(plain, 0, n);
        deflater.finish();
        int limit = n - n / 32;
        int length = 0;
        while (!deflater.finished() && length < limit) {
            length += deflater.deflate(packed, length, limit - length);
        }
        return deflater.finished() && length < limit ? length : -1;
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
