package dev.aar.storage;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One resumable upload, as recorded by an {@link UploadSessionStore}.
 *
 * @param id session id (a UUID string)
 * @param ownerId the API key (or other principal) that created it; other owners never see it
 * @param fileName the client's file name, for display only
 * @param totalSize the promised size of the whole file in bytes
 * @param partSize the size of every part but the last
 * @param totalParts how many parts make the whole file
 * @param sha256 optional lowercase hex SHA-256 of the whole file, verified at finalize; may be null
 * @param storageKey the blob key the assembled file is committed under
 * @param status where the session is in its life
 * @param expiresAt after this instant the session is expired and swept
 * @param createdAt when it was created
 */
public record UploadSession(
        String id,
        String ownerId,
        String fileName,
        long totalSize,
        long partSize,
        int totalParts,
        @Nullable String sha256,
        String storageKey,
        UploadStatus status,
        Instant expiresAt,
        Instant createdAt) {

    public UploadSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(storageKey, "storageKey");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Returns a copy with another status. */
    public UploadSession withStatus(UploadStatus newStatus) {
        return new UploadSession(id, ownerId, fileName, totalSize, partSize, totalParts, sha256,
                storageKey, newStatus, expiresAt, createdAt);
    }

    /** Returns how the file is cut into parts. */
    public PartLayout layout() {
        return new PartLayout(totalSize, partSize);
    }

    /** Returns the exact size part {@code partNumber} (1-based) must have. */
    public long expectedPartSize(int partNumber) {
        if (partNumber < totalParts) {
            return partSize;
        }
        return totalSize - partSize * (long) (totalParts - 1);
    }
}
