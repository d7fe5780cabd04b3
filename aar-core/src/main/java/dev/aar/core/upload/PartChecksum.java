package dev.aar.core.upload;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * A checksum a client sent with a part, as HTTP clients send them: {@code Content-MD5} (base64),
 * {@code x-checksum-sha256} (hex or base64) or {@code x-checksum-crc32c} (base64 of the four big-endian
 * bytes, as S3's {@code x-amz-checksum-crc32c}, or 8 hex digits).
 *
 * <p>CRC32C guards a part against corruption on the way (it is what S3 and Google Cloud Storage check
 * uploads with) at a small fraction of SHA-256's cost; it is no fingerprint against a deliberate change,
 * which is why the server records every part's SHA-256 whichever checksum the client sent, and only
 * treats a re-sent part as identical on an equal SHA-256.
 *
 * @param algorithm which digest
 * @param digest the expected digest bytes
 */
public record PartChecksum(Algorithm algorithm, byte[] digest) {

    /** The digests a client may send. */
    public enum Algorithm {
        SHA_256("SHA-256", 32),
        MD5("MD5", 16),
        /** The Castagnoli CRC ({@link java.util.zip.CRC32C}), a 4-byte value sent big-endian. */
        CRC32C("CRC32C", 4);

        private final String jcaName;
        private final int length;

        Algorithm(String jcaName, int length) {
            this.jcaName = jcaName;
            this.length = length;
        }

        /** Returns its standard name: {@link java.security.MessageDigest}'s for the digests, {@code CRC32C} for the CRC. */
        public String jcaName() {
            return jcaName;
        }
    }

    public PartChecksum {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(digest, "digest");
        if (digest.length != algorithm.length) {
            throw new IllegalArgumentException(algorithm + " digest must be " + algorithm.length + " bytes, was "
                    + digest.length);
        }
        digest = digest.clone();
    }

    /** Parses a SHA-256 given as 64 hex digits or as base64. */
    public static PartChecksum sha256(String value) {
        return new PartChecksum(Algorithm.SHA_256, decode(value, Algorithm.SHA_256));
    }

    /** Parses an MD5 given as base64 (the {@code Content-MD5} header) or as 32 hex digits. */
    public static PartChecksum md5(String value) {
        return new PartChecksum(Algorithm.MD5, decode(value, Algorithm.MD5));
    }

    /** Parses a CRC32C given as base64 of its four big-endian bytes or as 8 hex digits. */
    public static PartChecksum crc32c(String value) {
        return new PartChecksum(Algorithm.CRC32C, decode(value, Algorithm.CRC32C));
    }

    @Override
    public byte[] digest() {
        return digest.clone();
    }

    /** Returns the digest as lowercase hex. */
    public String hex() {
        return HexFormat.of().formatHex(digest);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PartChecksum c && c.algorithm == algorithm && java.util.Arrays.equals(c.digest, digest);
    }

    @Override
    public int hashCode() {
        return algorithm.hashCode() * 31 + java.util.Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex();
    }

    private static byte[] decode(String value, Algorithm algorithm) {
        Objects.requireNonNull(value, "checksum");
        String v = value.trim();
        if (v.length() == algorithm.length * 2 && v.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return HexFormat.of().parseHex(v.toLowerCase(Locale.ROOT));
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(v);
        } catch (IllegalArgumentException e) {
            try {
                bytes = Base64.getUrlDecoder().decode(v);
            } catch (IllegalArgumentException e2) {
                throw new IllegalArgumentException(algorithm + " checksum is neither hex nor base64: '" + v + "'");
            }
        }
        if (bytes.length != algorithm.length) {
            throw new IllegalArgumentException(algorithm + " checksum must be " + algorithm.length + " bytes, was "
                    + bytes.length + ": '" + v + "'");
        }
        return bytes;
    }
}
