package dev.aar.core.storage.internal;

import dev.aar.core.error.BlobIntegrityException;
import dev.aar.core.error.BlobIntegrityException.Reason;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reads a sealed blob back as plaintext, one verified segment at a time. Anything that does not
 * verify ends the stream with a {@link BlobIntegrityException}; no unverified byte is ever returned.
 * A reader must consume to the end: a missing last part is only known there.
 */
public final class UnsealingInputStream extends InputStream {

    private final DataInputStream in;
    private final String blobKey;
    private final byte[] blobKeyBytes;
    private final byte[] masterKey;
    private final byte[] keyId;
    private final Cipher cipher;
    private final Inflater inflater = new Inflater(true);

    private StreamHeader stream;
    private byte[] headerBytes;
    private SecretKeySpec streamKey;
    private long index;
    private boolean streamDone = true;
    private boolean finished;
    private BlobIntegrityException failure;

    private String uploadId;
    private int[] manifest;
    private int nextPart;

    private byte[] payload = new byte[0];
    private byte[] body = new byte[0];
    private byte[] plain = new byte[0];
    private int pos;
    private int limit;

    /** @param masterKey the 32-byte key, or null when encryption is off (then encrypted blobs are refused) */
    public UnsealingInputStream(InputStream stored, String blobKey, byte[] masterKey) {
        this.in = new DataInputStream(stored);
        this.blobKey = blobKey;
        this.blobKeyBytes = blobKey.getBytes(StandardCharsets.UTF_8);
        this.masterKey = masterKey;
        this.keyId = masterKey == null ? null : SealedFormat.keyId(masterKey);
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is missing from this JDK", e);
        }
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
        if (failure != null) {
            throw failure; // a caller that caught it and read on must not mistake the stop for an end
        }
        while (pos == limit) {
            if (finished) {
                return -1;
            }
            if (streamDone) {
                nextStream();
            } else {
                nextSegment();
            }
        }
        int n = Math.min(len, limit - pos);
        System.arraycopy(plain, pos, b, off, n);
        pos += n;
        return n;
    }

    private void nextStream() throws IOException {
        boolean first = stream == null;
        StreamHeader h = readHeader();
        if (first) {
            if (h == null) {
                throw fail(Reason.TRUNCATED, "is empty where a sealed stream was expected");
            }
            begin(h);
            if (h.type() == SealedFormat.TYPE_MANIFEST) {
                readManifest();
                nextStream();
            } else if (h.type() != SealedFormat.TYPE_SINGLE) {
                throw fail(Reason.TAMPERED, "starts with part " + h.partNumber() + " instead of its manifest");
            }
            return;
        }
        if (manifest == null || nextPart == manifest.length) {
            if (h != null) {
                throw fail(Reason.TAMPERED, "has data after its last stream");
            }
            finished = true;
            return;
        }
        if (h == null) {
            throw fail(Reason.TRUNCATED, "ends after " + nextPart + " of " + manifest.length + " parts");
        }
        if (h.type() != SealedFormat.TYPE_PART || !h.uploadId().equals(uploadId) || h.partNumber() != manifest[nextPart]) {
            throw fail(Reason.REORDERED, "holds " + describe(h) + " where part " + manifest[nextPart] + " of upload "
                    + uploadId + " belongs");
        }
        nextPart++;
        begin(h);
    }

    private StreamHeader readHeader() throws IOException {
        try {
            return StreamHeader.read(in);
        } catch (StreamHeader.MalformedHeader e) {
            throw fail(Reason.UNSUPPORTED_FORMAT, e.getMessage());
        } catch (EOFException e) {
            throw fail(Reason.TRUNCATED, "ends inside a stream header");
        }
    }

    private void begin(StreamHeader h) {
        if (h.encrypted()) {
            if (masterKey == null) {
                throw fail(Reason.KEY_MISSING, "is encrypted but no StoragePolicy.EncryptionKey (AAR_STORAGE_KEY) is configured");
            }
            if (!MessageDigest.isEqual(h.keyId(), keyId)) {
                throw fail(Reason.WRONG_KEY, "was encrypted with another key than the configured one");
            }
            streamKey = SealedFormat.streamKey(masterKey, h.salt());
        } else if (masterKey != null) {
            throw fail(Reason.NOT_ENCRYPTED, "is not encrypted although encryption is enabled");
        }
        stream = h;
        headerBytes = h.encode();
        index = 0;
        streamDone = false;
        int segment = h.segmentSize();
        if (plain.length < segment) {
            plain = new byte[segment];
            body = new byte[segment + SealedFormat.TAG_LENGTH];
            payload = new byte[segment + SealedFormat.TAG_LENGTH + 4];
        }
    }

    private void readManifest() throws IOException {
        uploadId = stream.uploadId();
        ByteBuffer all = ByteBuffer.allocate(4 + 4 * SealedFormat.MAX_MANIFEST_PARTS);
        while (!streamDone) {
            nextSegment();
            if (limit > all.remaining()) {
                throw fail(Reason.UNSUPPORTED_FORMAT, "has a manifest longer than " + SealedFormat.MAX_MANIFEST_PARTS + " parts");
            }
            all.put(plain, 0, limit);
        }
        all.flip();
        int count = all.remaining() >= 4 ? all.getInt() : -1;
        if (count < 0 || all.remaining() != 4 * count) {
            throw fail(Reason.UNSUPPORTED_FORMAT, "has a malformed manifest");
        }
        manifest = new int[count];
        for (int i = 0; i < count; i++) {
            manifest[i] = all.getInt();
        }
        pos = limit = 0;
    }

    private void nextSegment() throws IOException {
        int segFlags;
        int length;
        try {
            segFlags = in.readUnsignedByte();
            length = in.readInt();
            if (length < 0 || length > payload.length || (segFlags & ~(SealedFormat.SEG_LAST | SealedFormat.SEG_DEFLATED)) != 0) {
                throw fail(Reason.TAMPERED, "has a malformed segment " + index + " in " + describe(stream));
            }
            in.readFully(payload, 0, length);
        } catch (EOFException e) {
            throw fail(Reason.TRUNCATED, "ends inside " + describe(stream) + " after " + index + " segments");
        }
        byte[] data = payload;
        int dataLength;
        if (stream.encrypted()) {
            try {
                cipher.init(Cipher.DECRYPT_MODE, streamKey,
                        new GCMParameterSpec(SealedFormat.TAG_LENGTH * 8, SealedFormat.segmentNonce(stream.nonce(), index)));
                cipher.updateAAD(headerBytes);
                cipher.updateAAD(blobKeyBytes);
                cipher.updateAAD(SealedFormat.segmentAad(index, segFlags));
                dataLength = cipher.doFinal(payload, 0, length, body, 0);
                data = body;
            } catch (AEADBadTagException e) {
                throw fail(Reason.TAMPERED, "failed authentication at segment " + index + " of " + describe(stream)
                        + " (changed, moved or cut after it was written)");
            } catch (GeneralSecurityException e) {
                throw fail(Reason.TAMPERED, "could not be decrypted at segment " + index + ": " + e.getMessage());
            }
        } else {
            if (length < 4) {
                throw fail(Reason.TAMPERED, "has a malformed segment " + index + " in " + describe(stream));
            }
            dataLength = length - 4;
        }
        if ((segFlags & SealedFormat.SEG_DEFLATED) != 0) {
            limit = inflate(data, dataLength);
        } else {
            if (dataLength > stream.segmentSize()) {
                throw fail(Reason.TAMPERED, "has an oversized segment " + index + " in " + describe(stream));
            }
            System.arraycopy(data, 0, plain, 0, dataLength);
            limit = dataLength;
        }
        if (!stream.encrypted()) {
            CRC32 crc = new CRC32();
            crc.update(plain, 0, limit);
            int expected = ByteBuffer.wrap(payload, dataLength, 4).getInt();
            if ((int) crc.getValue() != expected) {
                throw fail(Reason.TAMPERED, "fails its checksum at segment " + index + " of " + describe(stream));
            }
        }
        pos = 0;
        index++;
        streamDone = (segFlags & SealedFormat.SEG_LAST) != 0;
    }

    private int inflate(byte[] data, int length) {
        inflater.reset();
        inflater.setInput(data, 0, length);
        int n;
        try {
            n = inflater.inflate(plain, 0, stream.segmentSize());
        } catch (DataFormatException e) {
            throw fail(Reason.TAMPERED, "has a corrupt compressed segment " + index + " in " + describe(stream));
        }
        // bounded by the segment size: a crafted segment cannot inflate into more memory than that
        if (!inflater.finished()) {
            throw fail(Reason.TAMPERED, "has a compressed segment " + index + " that does not fit its segment size");
        }
        return n;
    }

    private static String describe(StreamHeader h) {
        return switch (h.type()) {
            case SealedFormat.TYPE_PART -> "part " + h.partNumber() + " of upload " + h.uploadId();
            case SealedFormat.TYPE_MANIFEST -> "the manifest of upload " + h.uploadId();
            default -> "the stream";
        };
    }

    private BlobIntegrityException fail(Reason reason, String message) {
        finished = true;
        pos = limit = 0;
        Arrays.fill(plain, (byte) 0);
        failure = new BlobIntegrityException(reason, blobKey, message);
        return failure;
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
    }
}
