package dev.aar.core.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Message digests by name, and the lowercase-hex SHA-256 used for content hashes and checksums. */
public final class Digests {

    private Digests() {
    }

    /** Returns a fresh digest of {@code algorithm} (a JCA name every JDK provides, such as {@code SHA-256} or {@code MD5}). */
    public static MessageDigest of(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JDK", e);
        }
    }

    /** Returns the lowercase hex SHA-256 of {@code text}'s UTF-8 bytes. */
    public static String sha256Hex(String text) {
        return HexFormat.of().formatHex(of("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
