package dev.aar.examples.server;

import java.time.Instant;
import java.util.Set;

/**
 * An API key's record; the key itself is never stored, only its SHA-256.
 *
 * @param id the key's id (used as the owner of upload sessions)
 * @param organizationId the organization whose projects the key sees
 * @param name a label
 * @param sha256 hex SHA-256 of the key
 * @param createdAt when it was issued
 * @param rights what the key may do beyond its organization's ordinary calls ({@link #APPROVE})
 * @param lastUsedAt when it last authenticated a request (to the minute), or null
 * @param revokedAt from when it is refused (in the future during a rotation's grace period), or null
 */
public record ApiKey(String id, String organizationId, String name, String sha256, Instant createdAt,
        Set<String> rights, Instant lastUsedAt, Instant revokedAt) {

    /** The right to approve projects above the auto-approval thresholds. */
    public static final String APPROVE = "approve";
    /** Every right a key can carry. */
    public static final Set<String> RIGHTS = Set.of(APPROVE);

    public ApiKey {
        rights = rights == null ? Set.of() : Set.copyOf(rights);
    }

    /** Returns whether the key carries {@code right}. */
    public boolean has(String right) {
        return rights.contains(right);
    }

    /** Returns whether the key is refused at {@code now}. */
    public boolean isRevokedAt(Instant now) {
        return revokedAt != null && !now.isBefore(revokedAt);
    }

    ApiKey withLastUsedAt(Instant at) {
        return new ApiKey(id, organizationId, name, sha256, createdAt, rights, at, revokedAt);
    }

    ApiKey withRevokedAt(Instant at) {
        return new ApiKey(id, organizationId, name, sha256, createdAt, rights, lastUsedAt, at);
    }

    ApiKey withRights(Set<String> next) {
        return new ApiKey(id, organizationId, name, sha256, createdAt, next, lastUsedAt, revokedAt);
    }
}
