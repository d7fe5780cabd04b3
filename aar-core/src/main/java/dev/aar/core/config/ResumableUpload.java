package dev.aar.core.config;

/**
 * The {@code ResumableUpload} section: part size, session lifetime and part count.
 *
 * @param chunkSizeBytes size of every part but the last ({@code ChunkSizeBytes})
 * @param sessionExpirationMinutes an unfinished session expires this long after creation ({@code SessionExpirationMinutes})
 * @param maxPartsPerUpload most parts one upload may have ({@code MaxPartsPerUpload})
 */
public record ResumableUpload(int chunkSizeBytes, int sessionExpirationMinutes, int maxPartsPerUpload) {

    public static final String SECTION = "ResumableUpload";
    static final Key K_CHUNK_SIZE_BYTES = Key.whole(SECTION, "ChunkSizeBytes", 1024, Integer.MAX_VALUE);
    static final Key K_SESSION_EXPIRATION_MINUTES = Key.whole(SECTION, "SessionExpirationMinutes", 1, 43_200);
    static final Key K_MAX_PARTS_PER_UPLOAD = Key.whole(SECTION, "MaxPartsPerUpload", 1, 50_000);
    public static final int DEFAULT_CHUNK_SIZE_BYTES = 4_194_304;
    public static final int DEFAULT_SESSION_EXPIRATION_MINUTES = 60;
    public static final int DEFAULT_MAX_PARTS_PER_UPLOAD = 10_000;

    public ResumableUpload {
        // 4000 MiB is Azure's largest block; 1 KiB keeps tests fast without allowing absurd part counts
        K_CHUNK_SIZE_BYTES.check(chunkSizeBytes);
        K_SESSION_EXPIRATION_MINUTES.check(sessionExpirationMinutes);
        // 50,000 is Azure's limit of committed blocks per blob
        K_MAX_PARTS_PER_UPLOAD.check(maxPartsPerUpload);
    }

    /** Returns the spec's defaults. */
    public static ResumableUpload defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().chunkSizeBytes(chunkSizeBytes).sessionExpirationMinutes(sessionExpirationMinutes)
                .maxPartsPerUpload(maxPartsPerUpload);
    }

    /** Builds a {@link ResumableUpload}; starts from the defaults and validates at {@link #build()}. */
    public static final class Builder {
        private int chunkSizeBytes = DEFAULT_CHUNK_SIZE_BYTES;
        private int sessionExpirationMinutes = DEFAULT_SESSION_EXPIRATION_MINUTES;
        private int maxPartsPerUpload = DEFAULT_MAX_PARTS_PER_UPLOAD;

        private Builder() {
        }

        public Builder chunkSizeBytes(int v) { this.chunkSizeBytes = v; return this; }
        public Builder sessionExpirationMinutes(int v) { this.sessionExpirationMinutes = v; return this; }
        public Builder maxPartsPerUpload(int v) { this.maxPartsPerUpload = v; return this; }

        public ResumableUpload build() {
            return new ResumableUpload(chunkSizeBytes, sessionExpirationMinutes, maxPartsPerUpload);
        }
    }
}
