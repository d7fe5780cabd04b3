package dev.aar.examples.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests, shared by the server (API key hashes) and the CLI (upload state). */
public final class Sha256 {

    private Sha256() {
    }

    /** Returns the SHA-256 of {@code bytes}. */
    public static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns the lower-case hex SHA-256 of {@code s} encoded as UTF-8. */
    public static String hex(String s) {
        return HexFormat.of().formatHex(digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
