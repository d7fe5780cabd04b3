package dev.aar.storage;

/** The life of an upload session. */
public enum UploadStatus {
    /** Accepting parts. */
    ACTIVE,
    /** Parts are being assembled; no more parts are accepted. */
    FINALIZING,
    /** The file is assembled and stored under the session's storage key. */
    COMPLETED,
    /** The client cancelled; parts are deleted. */
    CANCELLED,
    /** The session passed its expiry before completing; parts are deleted. */
    EXPIRED;

    /** Returns whether the session can still change. */
    public boolean isOpen() {
        return this == ACTIVE || this == FINALIZING;
    }
}
