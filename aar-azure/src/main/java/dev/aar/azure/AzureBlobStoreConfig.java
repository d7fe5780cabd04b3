package dev.aar.azure;

import dev.aar.core.error.ConfigException;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.Connections;
import dev.aar.core.config.Secrets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings of an {@link AzureBlobStore}; build with {@link #builder(String)} or {@link #from(AarConfig)}.
 *
 * @param connectionString Azure Storage connection string (account key or SAS); never printed. {@code null} for a
 *        store over a container client the host built ({@link AzureBlobStore#of}), which carries its own credentials
 * @param container blob container, created on first write
 * @param blockSizeBytes size of the blocks a streamed {@code put} is cut into, and of each ranged read
 * @param partMemoryThresholdBytes parts up to this size are held on the heap before staging; longer ones spill to disk
 * @param spoolDirectory where spilled parts are written
 * @param tryTimeout time limit of each HTTP request the Azure SDK makes
 */
public record AzureBlobStoreConfig(
        String connectionString,
        String container,
        int blockSizeBytes,
        int partMemoryThresholdBytes,
        Path spoolDirectory,
        Duration tryTimeout) {

    public static final int DEFAULT_BLOCK_SIZE_BYTES = 4 * 1024 * 1024;
    public static final int DEFAULT_PART_MEMORY_THRESHOLD_BYTES = 8 * 1024 * 1024;
    public static final Duration DEFAULT_TRY_TIMEOUT = Duration.ofSeconds(60);
    /** Largest block Azure accepts (service version 2019-12-12 and later): 4000 MiB. */
    public static final long MAX_BLOCK_BYTES = 4000L * 1024 * 1024;
    /** Most committed blocks one blob may have. */
    public static final int MAX_BLOCKS_PER_BLOB = 50_000;

    static final int MIN_BLOCK_SIZE_BYTES = 1024;
    static final int MAX_BLOCK_SIZE_BYTES = 256 * 1024 * 1024;

    public AzureBlobStoreConfig {
        if (connectionString != null && connectionString.isBlank()) {
            throw connectionStringNotSet();
        }
        Objects.requireNonNull(container, "container");
        // the same rule Azure applies, checked here so the message names the setting
        Connections.builder().azureStorageContainer(container).build();
        if (blockSizeBytes < MIN_BLOCK_SIZE_BYTES || blockSizeBytes > MAX_BLOCK_SIZE_BYTES) {
            throw outOfRange("blockSizeBytes", blockSizeBytes, MIN_BLOCK_SIZE_BYTES + ".." + MAX_BLOCK_SIZE_BYTES);
        }
        if (partMemoryThresholdBytes < 0 || partMemoryThresholdBytes > MAX_BLOCK_SIZE_BYTES) {
            throw outOfRange("partMemoryThresholdBytes", partMemoryThresholdBytes, "0.." + MAX_BLOCK_SIZE_BYTES);
        }
        Objects.requireNonNull(spoolDirectory, "spoolDirectory");
        Objects.requireNonNull(tryTimeout, "tryTimeout");
        if (tryTimeout.isNegative() || tryTimeout.isZero()) {
            throw outOfRange("tryTimeout", tryTimeout, "a positive duration");
        }
    }

    /** Returns the settings for {@code config}'s {@code Connections} section, other values at their defaults. */
    public static AzureBlobStoreConfig from(AarConfig config) {
        Connections c = config.connections();
        return builder(c.azureStorageConnectionString()).container(c.azureStorageContainer()).build();
    }

    /** Starts from the defaults with this connection string ({@code null} for a host's container client). */
    public static Builder builder(String connectionString) {
        return new Builder(connectionString);
    }

    public Builder toBuilder() {
        return new Builder(connectionString).container(container).blockSizeBytes(blockSizeBytes)
                .partMemoryThresholdBytes(partMemoryThresholdBytes).spoolDirectory(spoolDirectory)
                .tryTimeout(tryTimeout);
    }

    @Override
    public String toString() {
        return "AzureBlobStoreConfig[connectionString=" + Secrets.mask(connectionString) + ", container=" + container
                + ", blockSizeBytes=" + blockSizeBytes + ", partMemoryThresholdBytes=" + partMemoryThresholdBytes
                + ", spoolDirectory=" + spoolDirectory + ", tryTimeout=" + tryTimeout + "]";
    }

    /** The error for a store that must connect by itself but has no connection string. */
    static ConfigException connectionStringNotSet() {
        return new ConfigException(ConfigException.Reason.OUT_OF_RANGE, Connections.SECTION
                + ".AzureStorageConnectionString is not set (env AZURE_STORAGE_CONNECTION_STRING);"
                + " the Azure blob store needs it");
    }

    private static ConfigException outOfRange(String name, Object value, String allowed) {
        return new ConfigException(ConfigException.Reason.OUT_OF_RANGE,
                "AzureBlobStoreConfig." + name + " = " + value + " is out of range; allowed: " + allowed);
    }

    /** Builds an {@link AzureBlobStoreConfig}; validates at {@link #build()}. */
    public static final class Builder {
        private final String connectionString;
        private String container = Connections.DEFAULT_AZURE_STORAGE_CONTAINER;
        private int blockSizeBytes = DEFAULT_BLOCK_SIZE_BYTES;
        private int partMemoryThresholdBytes = DEFAULT_PART_MEMORY_THRESHOLD_BYTES;
        private Path spoolDirectory = Path.of(System.getProperty("java.io.tmpdir"));
        private Duration tryTimeout = DEFAULT_TRY_TIMEOUT;

        private Builder(String connectionString) {
            this.connectionString = connectionString;
        }

        public Builder container(String v) { this.container = v; return this; }
        public Builder blockSizeBytes(int v) { this.blockSizeBytes = v; return this; }
        public Builder partMemoryThresholdBytes(int v) { this.partMemoryThresholdBytes = v; return this; }
        public Builder spoolDirectory(Path v) { this.spoolDirectory = v; return this; }
        public Builder tryTimeout(Duration v) { this.tryTimeout = v; return this; }

        public AzureBlobStoreConfig build() {
            return new AzureBlobStoreConfig(connectionString, container, blockSizeBytes, partMemoryThresholdBytes,
                    spoolDirectory, tryTimeout);
        }
    }
}
