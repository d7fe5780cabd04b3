package dev.aar.core.upload;

import dev.aar.core.error.UploadSessionException.Reason;
import dev.aar.core.internal.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

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
        this.other = expected != null && expected.algorithm() != PartChecksum.Algorithm.SHA_256
                ? Digests.of(expected.algorithm().jcaName()) : null;
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
            byte[] actual = other != null ? other.digest() : sha;
            if (!MessageDigest.isEqual(actual, expected.digest())) {
                throw reject(Reason.CHECKSUM_MISMATCH, "part's " + expected.algorithm() + " is "
                        + HexFormat.of().formatHex(actual) + " but the client sent " + expected.hex());
            }
        }
        verified = true;
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
