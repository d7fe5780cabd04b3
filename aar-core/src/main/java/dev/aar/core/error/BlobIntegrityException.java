package dev.aar.core.error;

import java.util.Locale;

/** A stored blob could not be read back as written: wrong key, tampered, truncated or reordered. */
public final class BlobIntegrityException extends AarException {

    /** What was wrong with the stored bytes. */
    public enum Reason {
        /** The blob was encrypted with another key than the one configured. */
        WRONG_KEY,
        /** An authentication tag or checksum failed: the bytes were changed after they were written. */
        TAMPERED,
        /** The blob ends before its last segment or its last part. */
        TRUNCATED,
        /** The parts of an assembled blob are out of order, repeated or from another upload. */
        REORDERED,
        /** Encryption is required but the blob is stored in plain text. */
        NOT_ENCRYPTED,
        /** The blob is encrypted but no key is configured. */
        KEY_MISSING,
        /** The blob has an unknown format version or a malformed header. */
        UNSUPPORTED_FORMAT
    }

    private final Reason reason;
    private final String key;

    public BlobIntegrityException(Reason reason, String key, String message) {
        super("blob '" + key + "': " + message);
        this.reason = reason;
        this.key = key;
    }

    public BlobIntegrityException(Reason reason, String key, String message, Throwable cause) {
        super("blob '" + key + "': " + message, cause);
        this.reason = reason;
        this.key = key;
    }

    /** Returns what was wrong. */
    public Reason reason() {
        return reason;
    }

    /** Returns the blob's key. */
    public String key() {
        return key;
    }

    @Override
    public String code() {
        return "storage." + reason.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean isClientError() {
        return false;
    }
}
