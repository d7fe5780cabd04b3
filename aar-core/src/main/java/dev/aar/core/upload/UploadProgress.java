package dev.aar.core.upload;

import dev.aar.storage.UploadPart;
import dev.aar.storage.UploadSession;
import dev.aar.storage.UploadStatus;
import java.time.Instant;
import java.util.List;

/**
 * The status of an upload session as a client sees it.
 *
 * @param session the session (its id, sizes, expiry, storage key)
 * @param status the effective status: an active session past its expiry reads {@link UploadStatus#EXPIRED}
 * @param parts the received parts, by part number, with sizes and SHA-256s
 * @param bytesReceived the sum of the received parts' sizes
 * @param missingParts the part numbers not yet received, ascending
 * @param expiresAt when the session expires
 */
public record UploadProgress(UploadSession session, UploadStatus status, List<UploadPart> parts, long bytesReceived,
        List<Integer> missingParts, Instant expiresAt) {

    public UploadProgress {
        parts = List.copyOf(parts);
        missingParts = List.copyOf(missingParts);
    }

    /** Returns whether every part has arrived. */
    public boolean isComplete() {
        return missingParts.isEmpty();
    }
}
