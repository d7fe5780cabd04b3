package dev.aar.core.error;

import java.util.Locale;

/** A resumable-upload call was refused. */
public final class UploadSessionException extends AarException {

    /** Why the call was refused. */
    public enum Reason {
        /** No such session for this owner (another owner's session is also "not found"). */
        NOT_FOUND,
        /** The session passed its expiry. */
        EXPIRED,
        /** A part's or the whole file's checksum did not match. */
        CHECKSUM_MISMATCH,
        /** A part is not exactly the part size (or the remainder, for the last part). */
        WRONG_PART_SIZE,
        /** The part number is below 1 or above the session's part count. */
        PART_OUT_OF_RANGE,
        /** The file is over {@code MaxUploadSizeMb} or would need more than {@code MaxPartsPerUpload} parts. */
        TOO_LARGE,
        /** The session is already finalized (or cancelled) and takes no more parts. */
        ALREADY_FINALIZED,
        /** Finalize was called while parts are missing. */
        INCOMPLETE,
        /** The client's stream failed before the whole part arrived; nothing was stored, re-send the part. */
        INTERRUPTED
    }

    private final Reason reason;

    public UploadSessionException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public UploadSessionException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** Returns why the call was refused. */
    public Reason reason() {
        return reason;
    }

    @Override
    public String code() {
        return "upload." + reason.name().toLowerCase(Locale.ROOT);
    }
}
