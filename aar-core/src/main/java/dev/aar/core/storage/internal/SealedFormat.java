package dev.aar.core.storage.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Constants and key derivation of the sealed blob format, version 1.
 *
 * <pre>
 * blob     := stream                      (a put)
 *           | manifest-stream part-stream*  (a committed multipart upload)
 * stream   := header segment+             (the last segment carries the LAST flag)
 * header   := "AARB" version(1)=1 type(1) flags(1) keyId(8) salt(32) nonce(12)
 *             partNumber(4) segmentSize(4) uploadIdLength(2) uploadId(UTF-8)
 * segment  := segFlags(1) length(4) payload(length)
 * payload  := AES-256-GCM(body) with its 16-byte tag      when the stream is encrypted
 *           | body CRC32(plaintext)(4)                   otherwise
 * body     := raw plaintext | raw DEFLATE of it           (segFlags bit 1)
 * </pre>
 *
 * Each stream derives its own key, HKDF-SHA256(master, salt, "aar-blob-v1"), from a fresh random
 * salt, and segment i uses the stream's random 12-byte nonce XOR i. The associated data of every
 * segment is the stream header, the blob key, i and segFlags, so a segment cannot be moved to
 * another position, stream or blob, and dropping the LAST segment is detected. A manifest stream
 * (its plaintext: count(4) partNumber(4)*) lists the part streams in order; the reader checks each
 * part stream's header against it, so reordered, repeated, foreign or missing parts are detected.
 */
public final class SealedFormat {

    public static final byte[] MAGIC = {'A', 'A', 'R', 'B'};
    public static final int VERSION = 1;
    public static final int TYPE_SINGLE = 1;
    public static final int TYPE_PART = 2;
    public static final int TYPE_MANIFEST = 3;
    public static final int FLAG_ENCRYPTED = 1;
    public static final int SEG_LAST = 1;
    public static final int SEG_DEFLATED = 2;
    public static final int KEY_ID_LENGTH = 8;
    public static final int SALT_LENGTH = 32;
    public static final int NONCE_LENGTH = 12;
    public static final int TAG_LENGTH = 16;
    public static final int FIXED_HEADER_LENGTH = 4 + 1 + 1 + 1 + KEY_ID_LENGTH + SALT_LENGTH + NONCE_LENGTH + 4 + 4 + 2;
    /** Largest segment a reader accepts, bounding its memory whatever a header claims. */
    public static final int MAX_SEGMENT_SIZE = 16 * 1024 * 1024;
    /** Most parts a manifest may list (Azure's committed-block limit). */
    public static final int MAX_MANIFEST_PARTS = 50_000;

    private static final byte[] INFO = "aar-blob-v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEY_ID_LABEL = "aar-storage-key-id".getBytes(StandardCharsets.US_ASCII);

    private SealedFormat() {
    }

    /** Returns the 8-byte public fingerprint of a master key, stored in headers to tell a wrong key from tampering. */
    public static byte[] keyId(byte[] masterKey) {
        return Arrays.copyOf(hmac(masterKey, KEY_ID_LABEL), KEY_ID_LENGTH);
    }

    /** Derives a stream's AES-256 key: HKDF-SHA256 (RFC 5869) with one output block. */
    public static SecretKeySpec streamKey(byte[] masterKey, byte[] salt) {
        byte[] prk = hmac(salt, masterKey);
        byte[] info = Arrays.copyOf(INFO, INFO.length + 1);
        info[INFO.length] = 1;
        return new SecretKeySpec(hmac(prk, info), "AES");
    }

    /** Returns the nonce of segment {@code index}: the stream's nonce XOR the index in its last 8 bytes. */
    public static byte[] segmentNonce(byte[] streamNonce, long index) {
        byte[] nonce = streamNonce.clone();
        for (int i = 0; i < 8; i++) {
            nonce[NONCE_LENGTH - 1 - i] ^= (byte) (index >>> (8 * i));
        }
        return nonce;
    }

    /** Returns the associated data of one segment (the header and key are fed separately). */
    public static byte[] segmentAad(long index, int segFlags) {
        return ByteBuffer.allocate(9).putLong(index).put((byte) segFlags).array();
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
