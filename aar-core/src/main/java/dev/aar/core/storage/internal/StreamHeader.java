package dev.aar.core.storage.internal;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The header of one sealed stream (see {@link SealedFormat}); its encoded bytes are part of every
 * segment's associated data.
 */
public record StreamHeader(int type, boolean encrypted, byte[] keyId, byte[] salt, byte[] nonce, int partNumber,
        int segmentSize, String uploadId) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Returns a fresh header with a random salt and nonce when {@code keyId} is given (encrypted). */
    public static StreamHeader create(int type, byte[] keyId, int partNumber, int segmentSize, String uploadId) {
        byte[] salt = new byte[SealedFormat.SALT_LENGTH];
        byte[] nonce = new byte[SealedFormat.NONCE_LENGTH];
        if (keyId != null) {
            RANDOM.nextBytes(salt);
            RANDOM.nextBytes(nonce);
        }
        return new StreamHeader(type, keyId != null, keyId == null ? new byte[SealedFormat.KEY_ID_LENGTH] : keyId,
                salt, nonce, partNumber, segmentSize, uploadId);
    }

    /** Encodes the header. */
    public byte[] encode() {
        byte[] id = uploadId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(SealedFormat.FIXED_HEADER_LENGTH + id.length)
                .put(SealedFormat.MAGIC).put((byte) SealedFormat.VERSION).put((byte) type)
                .put((byte) (encrypted ? SealedFormat.FLAG_ENCRYPTED : 0)).put(keyId).put(salt).put(nonce)
                .putInt(partNumber).putInt(segmentSize).putShort((short) id.length).put(id).array();
    }

    /** Thrown when a header is malformed; the reader turns it into a typed error. */
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
        new DataInputStream(in).readFully(fixed, 1, fixed.length - 1);
        ByteBuffer b = ByteBuffer.wrap(fixed);
        byte[] magic = new byte[4];
        b.get(magic);
        if (!Arrays.equals(magic, SealedFormat.MAGIC)) {
            throw new MalformedHeader("no sealed-stream header where one was expected");
        }
        int version = b.get() & 0xff;
        if (version != SealedFormat.VERSION) {
            throw new MalformedHeader("format version " + version + " is not supported (this reader knows "
                    + SealedFormat.VERSION + ")");
        }
        int type = b.get() & 0xff;
        int flags = b.get() & 0xff;
        byte[] keyId = new byte[SealedFormat.KEY_ID_LENGTH];
        byte[] salt = new byte[SealedFormat.SALT_LENGTH];
        byte[] nonce = new byte[SealedFormat.NONCE_LENGTH];
        b.get(keyId).get(salt).get(nonce);
        int partNumber = b.getInt();
        int segmentSize = b.getInt();
        int idLength = b.getShort() & 0xffff;
        if (type < SealedFormat.TYPE_SINGLE || type > SealedFormat.TYPE_MANIFEST || (flags & ~SealedFormat.FLAG_ENCRYPTED) != 0
                || segmentSize < 1 || segmentSize > SealedFormat.MAX_SEGMENT_SIZE) {
            throw new MalformedHeader("malformed sealed-stream header");
        }
        byte[] id = new byte[idLength];
        new DataInputStream(in).readFully(id);
        return new StreamHeader(type, (flags & SealedFormat.FLAG_ENCRYPTED) != 0, keyId, salt, nonce, partNumber,
                segmentSize, new String(id, StandardCharsets.UTF_8));
    }
}
