package dev.aar.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * One received part of an upload session.
 *
 * @param partNumber 1-based position of the part in the file
 * @param size its length in bytes
 * @param sha256 lowercase hex SHA-256 of its bytes
 * @param receivedAt when it was (last) received
 */
public record UploadPart(int partNumber, long size, String sha256, Instant receivedAt) {
    public UploadPart {
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(receivedAt, "receivedAt");
        if (partNumber < 1) {
            throw new IllegalArgumentException("partNumber must be >= 1, was " + partNumber);
        }
    }
}
