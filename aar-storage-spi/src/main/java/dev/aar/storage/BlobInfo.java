package dev.aar.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * What a store knows about one blob.
 *
 * @param key the blob's key
 * @param size its length in bytes
 * @param lastModified when it was last written
 */
public record BlobInfo(String key, long size, Instant lastModified) {
    public BlobInfo {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(lastModified, "lastModified");
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, was " + size);
        }
    }
}
