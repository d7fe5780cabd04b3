package dev.aar.core.storage.internal;

/**
 * Constants of the sealed blob format, version 2 (described in {@code docs/storage-policy.md}).
 *
 * <pre>
 * blob    := stream                       (a put)
 *          | manifest-stream part-stream*  (a committed multipart upload)
 * stream  := header record* terminator
 * header  := "AARB" version(1)=2 type(1) flags(1) keyId(8) partNumber(4) segmentSize(4)
 *            uploadIdLength(2) uploadId(UTF-8)
 * record  := length(4) body(length) [CRC32(body)(4), only when not encrypted]    length &gt; 0
 * terminator := length(4)=0
 * </pre>
 *
 * The bodies of a stream's records, concatenated, are its payload: when encrypted, one Tink
 * {@code StreamingAead} ciphertext (AES256_GCM_HKDF with {@code segmentSize}-byte segments) whose
 * associated data is the header and the blob key; when deflated (flag bit 1), the plaintext went
 * through zlib before encryption. Records only delimit a stream inside a concatenation of streams;
 * what they carry is authenticated by the ciphertext (or checked by the CRC when not encrypted).
 */
public final class SealedFormat {

    public static final byte[] MAGIC = {'A', 'A', 'R', 'B'};
    /** The format this code writes and reads; version 1 (the pre-1.0 hand-written format) is refused. */
    public static final int VERSION = 2;
    public static final int TYPE_SINGLE = 1;
    public static final int TYPE_PART = 2;
    public static final int TYPE_MANIFEST = 3;
    public static final int FLAG_ENCRYPTED = 1;
    public static final int FLAG_DEFLATED = 2;
    public static final int KEY_ID_LENGTH = 8;
    public static final int FIXED_HEADER_LENGTH = 4 + 1 + 1 + 1 + KEY_ID_LENGTH + 4 + 4 + 2;
    /** Smallest segment size accepted (Tink needs room for its 40-byte header and 16-byte tag). */
    public static final int MIN_SEGMENT_SIZE = 1024;
    /** Largest segment a reader accepts, bounding its memory whatever a header claims. */
    public static final int MAX_SEGMENT_SIZE = 16 * 1024 * 1024;
    /** Most parts a manifest may list (Azure's committed-block limit). */
    public static final int MAX_MANIFEST_PARTS = 50_000;

    private SealedFormat() {
    }
}
