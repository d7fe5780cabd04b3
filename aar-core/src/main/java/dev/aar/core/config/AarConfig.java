package dev.aar.core.config;

import java.util.Objects;

/**
 * The whole SDK configuration: the spec's five sections plus {@link Connections}.
 *
 * <p>Immutable. Build one in code with {@link #builder()}, or load the spec's
 * {@code appsettings.json} shape with {@link ConfigLoader}.
 */
public record AarConfig(
        ScaleLimits scaleLimits,
        EmbeddingProcessing embeddingProcessing,
        WorkerProcessing workerProcessing,
        StoragePolicy storagePolicy,
        ResumableUpload resumableUpload,
        Connections connections) {

    public AarConfig {
        Objects.requireNonNull(scaleLimits, "scaleLimits");
        Objects.requireNonNull(embeddingProcessing, "embeddingProcessing");
        Objects.requireNonNull(workerProcessing, "workerProcessing");
        Objects.requireNonNull(storagePolicy, "storagePolicy");
        Objects.requireNonNull(resumableUpload, "resumableUpload");
        Objects.requireNonNull(connections, "connections");
        long maxParts = (scaleLimits.maxUploadSizeBytes() + resumableUpload.chunkSizeBytes() - 1)
                / resumableUpload.chunkSizeBytes();
        if (maxParts > resumableUpload.maxPartsPerUpload()) {
            throw Check.inconsistent(ScaleLimits.SECTION + ".MaxUploadSizeMb = " + scaleLimits.maxUploadSizeMb()
                    + " needs " + maxParts + " parts of " + ResumableUpload.SECTION + ".ChunkSizeBytes = "
                    + resumableUpload.chunkSizeBytes() + ", more than " + ResumableUpload.SECTION
                    + ".MaxPartsPerUpload = " + resumableUpload.maxPartsPerUpload()
                    + "; raise ChunkSizeBytes or MaxPartsPerUpload");
        }
    }

    /** Returns the spec's defaults with no external backends. */
    public static AarConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().scaleLimits(scaleLimits).embeddingProcessing(embeddingProcessing)
                .workerProcessing(workerProcessing).storagePolicy(storagePolicy).resumableUpload(resumableUpload)
                .connections(connections);
    }

    /** Builds an {@link AarConfig}; every section starts at its defaults. */
    public static final class Builder {
        private ScaleLimits scaleLimits = ScaleLimits.defaults();
        private EmbeddingProcessing embeddingProcessing = EmbeddingProcessing.defaults();
        private WorkerProcessing workerProcessing = WorkerProcessing.defaults();
        private StoragePolicy storagePolicy = StoragePolicy.defaults();
        private ResumableUpload resumableUpload = ResumableUpload.defaults();
        private Connections connections = Connections.none();

        private Builder() {
        }

        public Builder scaleLimits(ScaleLimits v) { this.scaleLimits = v; return this; }
        public Builder embeddingProcessing(EmbeddingProcessing v) { this.embeddingProcessing = v; return this; }
        public Builder workerProcessing(WorkerProcessing v) { this.workerProcessing = v; return this; }
        public Builder storagePolicy(StoragePolicy v) { this.storagePolicy = v; return this; }
        public Builder resumableUpload(ResumableUpload v) { this.resumableUpload = v; return this; }
        public Builder connections(Connections v) { this.connections = v; return this; }

        public AarConfig build() {
            return new AarConfig(scaleLimits, embeddingProcessing, workerProcessing, storagePolicy,
                    resumableUpload, connections);
        }
    }
}
