package dev.aar.jdbc;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@code api_keys} table: the quick-start server's API keys, stored as SHA-256 hashes, so that
 * every node sees a key created, revoked or rotated at once.
 */
public interface ApiKeyTable {

    /**
     * One key.
     *
     * @param id the key's id
     * @param organizationId the organization it acts for
     * @param name a label
     * @param sha256 hex SHA-256 of the secret (the secret itself is never stored)
     * @param rights what it may do beyond its organization's ordinary calls (for example {@code approve})
     * @param createdAt when it was issued
     * @param lastUsedAt when it last authenticated a request (coarse), or null
     * @param revokedAt from when it is refused (may be in the future during a rotation's grace period), or null
     */
    record Row(String id, String organizationId, String name, String sha256, Set<String> rights, Instant createdAt,
            @Nullable Instant lastUsedAt, @Nullable Instant revokedAt) {

        public Row {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(organizationId, "organizationId");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(sha256, "sha256");
            Objects.requireNonNull(createdAt, "createdAt");
            rights = Set.copyOf(rights);
        }
    }

    /** Returns every key, oldest first. */
    List<Row> list();

    /** Returns the key whose secret hashes to {@code sha256}, revoked or not. */
    Optional<Row> findBySha256(String sha256);

    /** Adds a key. */
    void insert(Row row);

    /** Adds {@code row} only if the table holds no key at all; returns whether it was added. */
    boolean insertIfEmpty(Row row);

    /** Refuses the key from {@code at} on (an earlier revocation stays); returns whether the key exists. */
    boolean revoke(String id, Instant at);

    /** Adds {@code next} and revokes {@code oldId} from {@code oldRevokedAt} in one transaction; false if the old key is unknown. */
    boolean rotate(Row next, String oldId, Instant oldRevokedAt);

    /** Records that the key authenticated a request at {@code at}. */
    void touch(String id, Instant at);
}
