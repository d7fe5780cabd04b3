package dev.aar.azure.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** MD5, the transactional checksum Azure verifies on every staged block. */
public final class Md5 {

    private Md5() {
    }

    /** Returns a fresh MD5 digest. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }

    /** Returns the MD5 of {@code bytes}. */
    public static byte[] of(byte[] bytes) {
        return newDigest().digest(bytes);
    }
}
