package dev.aar.azure.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The block ids this store writes: 48 ASCII bytes, Base64-encoded to 64 characters.
 *
 * <p>Azure requires every block id of one blob to have the same length, so parts and the blocks of
 * a streamed {@code put} share one layout: {@code "aar1"} + kind ({@code 'p'} part, {@code 'b'} put
 * block) + 32 hex characters of scope + {@code '-'} + a 10-digit index. A part's scope is the first
 * 128 bits of SHA-256 of its upload id (upload ids may be far longer than Azure's 64-byte limit),
 * so the same upload id and part number always name the same block and re-staging replaces it.
 * A put's scope is random, so concurrent puts never overwrite each other's blocks.
 */
public final class BlockIds {

    /** Length of the id before Base64, in bytes (Azure allows at most 64). */
    public static final int RAW_LENGTH = 48;

    private static final String VERSION = "aar1";

    private BlockIds() {
    }

    /** Returns the block id of part {@code partNumber} of upload {@code uploadId}. */
    public static String part(String uploadId, int partNumber) {
        return partsOf(uploadId).part(partNumber);
    }

    /** Returns whether {@code blockId} is one of the parts of upload {@code uploadId}, whatever its number. */
    public static boolean isPartOf(String blockId, String uploadId) {
        return partsOf(uploadId).contains(blockId);
    }

    /**
     * Returns the part ids of upload {@code uploadId}, with its scope hashed once: use it where many
     * parts or blocks of one upload are named or tested.
     */
    public static Parts partsOf(String uploadId) {
        return new Parts(HexFormat.of().formatHex(sha256(uploadId), 0, 16));
    }

    /** The block ids of the parts of one upload. */
    public static final class Parts {

        private final String scope;
        private final byte[] prefix;

        private Parts(String scope) {
            this.scope = scope;
            this.prefix = (VERSION + 'p' + scope + '-').getBytes(StandardCharsets.US_ASCII);
        }

        /** Returns the block id of part {@code partNumber} of this upload. */
        public String part(int partNumber) {
            return encode('p', scope, partNumber);
        }

        /** Returns whether {@code blockId} is one of the parts of this upload, whatever its number. */
        public boolean contains(String blockId) {
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(blockId);
            } catch (IllegalArgumentException e) {
                return false; // a block some other writer staged with an id that is not Base64
            }
            return raw.length >= prefix.length && Arrays.equals(raw, 0, prefix.length, prefix, 0, prefix.length);
        }
    }

    /** Returns a fresh random scope for the blocks of one {@code put}. */
    public static String newPutScope() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** Returns the id of block {@code index} (0-based) of the put with {@code scope}. */
    public static String putBlock(String scope, int index) {
        return encode('b', scope, index);
    }

    private static String encode(char kind, String scope, int index) {
        if (scope.length() != 32) {
            throw new IllegalArgumentException("block id scope must be 32 characters: " + scope);
        }
        if (index < 0) {
            throw new IllegalArgumentException("block index must be >= 0, was " + index);
        }
        String raw = VERSION + kind + scope + '-' + String.format("%010d", index);
        return Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
