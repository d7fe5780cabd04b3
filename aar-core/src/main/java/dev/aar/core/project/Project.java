package dev.aar.core.project;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An uploaded codebase.
 *
 * @param id project id (UUID string)
 * @param ownerId the organization (API key owner) it belongs to; other owners never see it
 * @param name display name, usually the archive's file name
 * @param archiveKey blob key of the stored archive
 * @param archiveBytes size of the stored archive
 * @param requiresApproval whether preflight said it needs approval before it may be queued; null before preflight
 * @param approvedBy who approved it, or null
 * @param approvedAt when it was approved, or null
 * @param createdAt when it was created
 */
public record Project(
        String id,
        String ownerId,
        String name,
        String archiveKey,
        long archiveBytes,
        @Nullable Boolean requiresApproval,
        @Nullable String approvedBy,
        @Nullable Instant approvedAt,
        Instant createdAt) {

    public Project {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(archiveKey, "archiveKey");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Returns whether the project may be queued: preflight found it needs no approval, or it was approved. */
    public boolean isQueueable() {
        return Boolean.FALSE.equals(requiresApproval) || approvedAt != null;
    }

    /** Returns a copy recording preflight's verdict. */
    public Project withRequiresApproval(boolean value) {
        return new Project(id, ownerId, name, archiveKey, archiveBytes, value, approvedBy, approvedAt, createdAt);
    }

    /** Returns a copy recording an approval. */
    public Project withApproval(String by, Instant at) {
        return new Project(id, ownerId, name, archiveKey, archiveBytes, requiresApproval, by, at, createdAt);
    }
}
