package dev.aar.core.upload;

import dev.aar.core.error.UploadSessionException.Reason;
import dev.aar.core.internal.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * Passes a part through to the store while checking its length and checksum, and throws before
 * handing over the final bytes if either is wrong, so the store discards the part (its contract).
 * Holds no more than the caller's buffer: memory does not grow with the part.
 */
final class VerifyingInputStream extends InputStream {

    /** The part was refused; {@link #reason} says why. */
    static final class Rejected extends IOException {
        final Reason reason;

        Rejected(Reason reason, String message) {
            super(message);
            this.reason = reason;
        }
    }

    private final InputStream in;
    private final long expectedLength;
    private final PartChecksum expected;
    private final MessageDigest sha256;
    private final MessageDigest other;
    private final CRC32C crc32c;
    private long remaining;
    private boolean verified;
    private Rejected rejection;
    private IOException sourceFailure;
    private String sha256Hex;

    VerifyingInputStream(InputStream in, long expectedLength, PartChecksum expected) {
        this.in = in;
        this.expectedLength = expectedLength;
        this.remaining = expectedLength;
        this.expected = expected;
        this.sha256 = Digests.of("SHA-256");
        PartChecksum.Algorithm algorithm = expected == null ? null : expected.algorithm();
        this.other = algorithm == PartChecksum.Algorithm.MD5 ? Digests.of(algorithm.jcaName()) : null;
        this.crc32c = algorithm == PartChecksum.Algorithm.CRC32C ? new CRC32C() : null;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (rejection != null) {
            throw rejection;
        }
        if (verified) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        if (remaining == 0) {
            verifyEnd();
            return -1;
        }
        int n = source(() -> in.read(b, off, (int) Math.min(len, remaining)));
        if (n == -1) {
            throw reject(Reason.WRONG_PART_SIZE, "part ended after " + (expectedLength - remaining)
                    + " bytes; it must be exactly " + expectedLength + " bytes");
        }
        sha256.update(b, off, n);
        if (other != null) {
            other.update(b, off, n);
        }
        if (crc32c != null) {
            crc32c.update(b, off, n);
        }
        remaining -= n;
        if (remaining == 0) {
            verifyEnd(); // before these last bytes reach the store
        }
        return n;
    }

    private void verifyEnd() throws IOException {
        if (source(in::read) != -1) {
            throw reject(Reason.WRONG_PART_SIZE, "part is longer than " + expectedLength + " bytes");
        }
        byte[] sha = sha256.digest();
        sha256Hex = HexFormat.of().formatHex(sha);
        if (expected != null) {
            byte[] actual = other != null ? other.digest() : crc32c != null ? bigEndian((int) crc32c.getValue()) : sha;
            if (!MessageDigest.isEqual(actual, expected.digest())) {
                throw reject(Reason.CHECKSUM_MISMATCH, "part's " + expected.algorithm() + " is "
                        + HexFormat.of().formatHex(actual) + " but the client sent " + expected.hex());
            }
        }
        verified = true;
    }

    private static byte[] bigEndian(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    /** Returns whether the whole part arrived and verified. */
    boolean verified() {
        return verified;
    }

    /** Returns the lowercase hex SHA-256 of the part, once verified. */
    String sha256Hex() {
        return sha256Hex;
    }

    /** Returns why the part was refused, or null. */
    Rejected rejection() {
        return rejection;
    }

    /** Returns the client stream's failure (a dropped connection), or null. */
    IOException sourceFailure() {
        return sourceFailure;
    }

    private interface Read {
        int read() throws IOException;
    }

    private int source(Read read) throws IOException {
        try {
            return read.read();
        } catch (IOException e) {
            sourceFailure = e;
            throw e;
        }
    }

    private Rejected reject(Reason reason, String message) {
        rejection = new Rejected(reason, message);
        return rejection;
    }
}
