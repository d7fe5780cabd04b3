package dev.aar.core.config;

import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * The {@code StoragePolicy} section: how stored archives are kept.
 *
 * @param retentionDays stored project data older than this is deleted; 0 keeps it forever ({@code RetentionDays})
 * @param compressionEnabled compress stored archives when that saves space ({@code CompressionEnabled})
 * @param encryptionEnabled encrypt stored archives and parts with AES-256-GCM ({@code EncryptionEnabled})
 * @param encryptionKey base64 of a 32-byte key ({@code EncryptionKey} or {@code AAR_STORAGE_KEY}); null if unset
 */
public record StoragePolicy(int retentionDays, boolean compressionEnabled, boolean encryptionEnabled,
        @Nullable String encryptionKey) {

    public static final String SECTION = "StoragePolicy";
    static final Key K_RETENTION_DAYS = Key.whole(SECTION, "RetentionDays", 0, 36_500);
    public static final int DEFAULT_RETENTION_DAYS = 90;
    public static final boolean DEFAULT_COMPRESSION_ENABLED = true;
    public static final boolean DEFAULT_ENCRYPTION_ENABLED = true;

    public StoragePolicy {
        K_RETENTION_DAYS.check(retentionDays);
        if (encryptionKey != null) {
            byte[] key;
            try {
                key = Base64.getDecoder().decode(encryptionKey.trim());
            } catch (IllegalArgumentException e) {
                // never echo the key itself
                throw Check.outOfRange(SECTION + ".EncryptionKey", "(not base64)", "base64 of exactly 32 bytes");
            }
            if (key.length != 32) {
                throw Check.outOfRange(SECTION + ".EncryptionKey", "(" + key.length + " bytes)", "base64 of exactly 32 bytes");
            }
        }
    }

    /** Returns the spec's defaults (no key: the host supplies one, or the quick start generates one). */
    public static StoragePolicy defaults() {
        return builder().build();
    }

    /** Returns the decoded key, or null when none is configured. */
    public byte @Nullable [] encryptionKeyBytes() {
        return encryptionKey == null ? null : Base64.getDecoder().decode(encryptionKey.trim());
    }

    @Override
    public String toString() {
        return "StoragePolicy[retentionDays=" + retentionDays + ", compressionEnabled=" + compressionEnabled
                + ", encryptionEnabled=" + encryptionEnabled + ", encryptionKey=" + Secrets.mask(encryptionKey) + "]";
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().retentionDays(retentionDays).compressionEnabled(compressionEnabled)
                .encryptionEnabled(encryptionEnabled).encryptionKey(encryptionKey);
    }

    /** Builds a {@link StoragePolicy}; starts from the defaults and validates at {@link #build()}. */
    public static final class Builder {
        private int retentionDays = DEFAULT_RETENTION_DAYS;
        private boolean compressionEnabled = DEFAULT_COMPRESSION_ENABLED;
        private boolean encryptionEnabled = DEFAULT_ENCRYPTION_ENABLED;
        private String encryptionKey;

        private Builder() {
        }

        public Builder retentionDays(int v) { this.retentionDays = v; return this; }
        public Builder compressionEnabled(boolean v) { this.compressionEnabled = v; return this; }
        public Builder encryptionEnabled(boolean v) { this.encryptionEnabled = v; return this; }
        public Builder encryptionKey(String v) { this.encryptionKey = v; return this; }

        public StoragePolicy build() {
            return new StoragePolicy(retentionDays, compressionEnabled, encryptionEnabled, encryptionKey);
        }
    }
}
