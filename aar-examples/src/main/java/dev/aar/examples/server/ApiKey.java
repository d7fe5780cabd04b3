package dev.aar.examples.server;

import java.time.Instant;

/**
 * An API key's record; the key itself is never stored, only its SHA-256.
 *
 * @param id the key's id (used as the owner of upload sessions)
 * @param organizationId the organization whose projects the key sees
 * @param name a label
 * @param sha256 hex SHA-256 of the key
 * @param createdAt when it was issued
 */
public record ApiKey(String id, String organizationId, String name, String sha256, Instant createdAt) {
}
