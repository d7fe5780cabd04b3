package dev.aar.core.storage.internal;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The header of one sealed stream (see {@link SealedFormat}); its encoded bytes are part of the
 * associated data of the stream's ciphertext.
 *
 * @param keyId the key's fingerprint, or all zeros when the stream is not encrypted
 */
public record StreamHeader(int type, int flags, byte[] keyId, int partNumber, int segmentSize, String uploadId) {

    /** Returns whether the payload is a Tink ciphertext. */
    public boolean encrypted() {
        return (flags & SealedFormat.FLAG_ENCRYPTED) != 0;
    }

    /** Returns whether the plaintext was deflated before it was sealed. */
    public boolean deflated() {
        return (flags & SealedFormat.FLAG_DEFLATED) != 0;
    }

    /** Encodes the header. */
    public byte[] encode() {
        byte[] id = uploadId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(SealedFormat.FIXED_HEADER_LENGTH + id.length)
                .put(SealedFormat.MAGIC).put((byte) SealedFormat.VERSION).put((byte) type).put((byte) flags)
                .put(keyId).putInt(partNumber).putInt(segmentSize).putShort((short) id.length).put(id).array();
    }

    /** Thrown when a header is malformed or of another version; the reader turns it into a typed error. */
    public static final class MalformedHeader extends IOException {
        MalformedHeader(String message) {
            super(message);
        }
    }

    /**
     * Reads a header, or returns null at a clean end of input.
     *
     * @throws MalformedHeader if the magic, version or a field is wrong
     * @throws EOFException if the input ends inside the header
     */
    public static StreamHeader read(InputStream in) throws IOException {
        int first = in.read();
        if (first == -1) {
            return null;
        }
        byte[] fixed = new byte[SealedFormat.FIXED_HEADER_LENGTH];
        fixed[0] = (byte) first;
        DataInputStream data = new DataInputStream(in);
        data.readFully(fixed, 1, 4); // magic and version first: a version-1 header has another length
        ByteBuffer b = ByteBuffer.wrap(fixed);
        byte[] magic = new byte[4];
        b.get(magic);
        if (!Arrays.equals(magic, SealedFormat.MAGIC)) {
            throw new MalformedHeader("no sealed-stream header where one was expected");
        }
        int version = b.get() & 0xff;
        if (version == 1) {
            throw new MalformedHeader("was written in the pre-1.0 sealed format (version 1), which this release"
                    + " no longer reads; upload it again");
        }
        if (version != SealedFormat.VERSION) {
            throw new MalformedHeader("format version " + version + " is not supported (this reader knows "
                    + SealedFormat.VERSION + ")");
        }
        data.readFully(fixed, 5, fixed.length - 5);
        int type = b.get() & 0xff;
        int flags = b.get() & 0xff;
        byte[] keyId = new byte[SealedFormat.KEY_ID_LENGTH];
        b.get(keyId);
        int partNumber = b.getInt();
        int segmentSize = b.getInt();
        int idLength = b.getShort() & 0xffff;
        if (type < SealedFormat.TYPE_SINGLE || type > SealedFormat.TYPE_MANIFEST
                || (flags & ~(SealedFormat.FLAG_ENCRYPTED | SealedFormat.FLAG_DEFLATED)) != 0
                || segmentSize < SealedFormat.MIN_SEGMENT_SIZE || segmentSize > SealedFormat.MAX_SEGMENT_SIZE) {
            throw new MalformedHeader("has a malformed sealed-stream header");
        }
        byte[] id = new byte[idLength];
        data.readFully(id);
        return new StreamHeader(type, flags, keyId, partNumber, segmentSize, new String(id, StandardCharsets.UTF_8));
    }
}
