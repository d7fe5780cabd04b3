package dev.aar.spring;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code aar.*} properties: the spec's {@code appsettings.json} sections in Spring's relaxed binding,
 * plus where the SDK keeps its data and whether workers run in this process.
 *
 * <p>A property left unset keeps the value of {@link #getConfigFile() aar.config-file} if one is named,
 * else the spec's default; every value is checked by {@code AarConfig}'s own builders, so a refused
 * value fails the context with the same message {@code ConfigLoader} gives.
 */
@ConfigurationProperties(prefix = "aar")
public class AarProperties {

    /** Directory for the embedded defaults (blobs, work directory, storage.key); unset: a temporary directory deleted at shutdown. */
    private Path dataDirectory;

    /** An appsettings.json to load first (with ConfigLoader, environment overrides applied); aar.* properties set here win over it. */
    private Path configFile;

    private final ScaleLimits scaleLimits = new ScaleLimits();
    private final EmbeddingProcessing embeddingProcessing = new EmbeddingProcessing();
    private final WorkerProcessing workerProcessing = new WorkerProcessing();
    private final StoragePolicy storagePolicy = new StoragePolicy();
    private final ResumableUpload resumableUpload = new ResumableUpload();
    private final Connections connections = new Connections();
    private final Workers workers = new Workers();
    private final Housekeeping housekeeping = new Housekeeping();

    public Path getDataDirectory() { return dataDirectory; }
    public void setDataDirectory(Path dataDirectory) { this.dataDirectory = dataDirectory; }
    public Path getConfigFile() { return configFile; }
    public void setConfigFile(Path configFile) { this.configFile = configFile; }
    public ScaleLimits getScaleLimits() { return scaleLimits; }
    public EmbeddingProcessing getEmbeddingProcessing() { return embeddingProcessing; }
    public WorkerProcessing getWorkerProcessing() { return workerProcessing; }
    public StoragePolicy getStoragePolicy() { return storagePolicy; }
    public ResumableUpload getResumableUpload() { return resumableUpload; }
    public Connections getConnections() { return connections; }
    public Workers getWorkers() { return workers; }
    public Housekeeping getHousekeeping() { return housekeeping; }

    /** The spec's {@code ScaleLimits} section. */
    public static class ScaleLimits {
        /** Largest upload in MiB (MaxUploadSizeMb; default 500). */
        private Integer maxUploadSizeMb;
        /** Most files one project may hold (MaxFilesPerProject; default 50000). */
        private Integer maxFilesPerProject;
        /** Largest single file in bytes (MaxFileSizeBytes; default 10485760). */
        private Long maxFileSizeBytes;
        /** Files above which a codebase needs approval (AutoApprovalThresholdFiles; default 1000). */
        private Integer autoApprovalThresholdFiles;
        /** Tokens above which a codebase needs approval (AutoApprovalThresholdTokens; default 500000). */
        private Long autoApprovalThresholdTokens;
        /** Most bytes an archive may expand to (MaxTotalUncompressedBytes; default 4 GiB). */
        private Long maxTotalUncompressedBytes;
        /** Highest uncompressed/compressed ratio of an archive (MaxCompressionRatio; default 100). */
        private Integer maxCompressionRatio;
        /** Most entries an archive may list (MaxArchiveEntries; default 1000000). */
        private Integer maxArchiveEntries;
        /** Directories never extracted (ExcludedDirectories; default node_modules, .git, bin, obj, …). */
        private List<String> excludedDirectories;
        /** Monthly token limit of an organisation without its own quota; 0 is unlimited (DefaultMonthlyTokenLimit). */
        private Long defaultMonthlyTokenLimit;
        /** Monthly project limit of an organisation without its own quota; 0 is unlimited (DefaultMonthlyProjectLimit). */
        private Integer defaultMonthlyProjectLimit;
        /** Storage limit in bytes of an organisation without its own quota; 0 is unlimited (DefaultStorageLimitBytes). */
        private Long defaultStorageLimitBytes;

        public Integer getMaxUploadSizeMb() { return maxUploadSizeMb; }
        public void setMaxUploadSizeMb(Integer v) { this.maxUploadSizeMb = v; }
        public Integer getMaxFilesPerProject() { return maxFilesPerProject; }
        public void setMaxFilesPerProject(Integer v) { this.maxFilesPerProject = v; }
        public Long getMaxFileSizeBytes() { return maxFileSizeBytes; }
        public void setMaxFileSizeBytes(Long v) { this.maxFileSizeBytes = v; }
        public Integer getAutoApprovalThresholdFiles() { return autoApprovalThresholdFiles; }
        public void setAutoApprovalThresholdFiles(Integer v) { this.autoApprovalThresholdFiles = v; }
        public Long getAutoApprovalThresholdTokens() { return autoApprovalThresholdTokens; }
        public void setAutoApprovalThresholdTokens(Long v) { this.autoApprovalThresholdTokens = v; }
        public Long getMaxTotalUncompressedBytes() { return maxTotalUncompressedBytes; }
        public void setMaxTotalUncompressedBytes(Long v) { this.maxTotalUncompressedBytes = v; }
        public Integer getMaxCompressionRatio() { return maxCompressionRatio; }
        public void setMaxCompressionRatio(Integer v) { this.maxCompressionRatio = v; }
        public Integer getMaxArchiveEntries() { return maxArchiveEntries; }
        public void setMaxArchiveEntries(Integer v) { this.maxArchiveEntries = v; }
        public List<String> getExcludedDirectories() { return excludedDirectories; }
        public void setExcludedDirectories(List<String> v) { this.excludedDirectories = v; }
        public Long getDefaultMonthlyTokenLimit() { return defaultMonthlyTokenLimit; }
        public void setDefaultMonthlyTokenLimit(Long v) { this.defaultMonthlyTokenLimit = v; }
        public Integer getDefaultMonthlyProjectLimit() { return defaultMonthlyProjectLimit; }
        public void setDefaultMonthlyProjectLimit(Integer v) { this.defaultMonthlyProjectLimit = v; }
        public Long getDefaultStorageLimitBytes() { return defaultStorageLimitBytes; }
        public void setDefaultStorageLimitBytes(Long v) { this.defaultStorageLimitBytes = v; }
    }

    /** The spec's {@code EmbeddingProcessing} section. */
    public static class EmbeddingProcessing {
        /** Chunks per embedding request (BatchSize; default 100). */
        private Integer batchSize;
        /** Embedding requests in flight per node (MaxConcurrency; default 5). */
        private Integer maxConcurrency;
        /** Price of a million tokens, for preflight estimates (CostPerMillionTokens; default 0.10). */
        private Double costPerMillionTokens;
        /** Largest chunk in tokens (MaxChunkSizeTokens; default 512). */
        private Integer maxChunkSizeTokens;
        /** Tokens shared by neighbouring chunks (OverlapTokens; default 50). */
        private Integer overlapTokens;
        /** Tokenizer used for counting, e.g. cl100k_base (TokenEncoding; default cl100k_base). */
        private String tokenEncoding;
        /** Token budget a minute of the embedding pipelines (TokensPerMinute; default 0, no limit). */
        private Long tokensPerMinute;

        public Integer getBatchSize() { return batchSize; }
        public void setBatchSize(Integer v) { this.batchSize = v; }
        public Integer getMaxConcurrency() { return maxConcurrency; }
        public void setMaxConcurrency(Integer v) { this.maxConcurrency = v; }
        public Double getCostPerMillionTokens() { return costPerMillionTokens; }
        public void setCostPerMillionTokens(Double v) { this.costPerMillionTokens = v; }
        public Integer getMaxChunkSizeTokens() { return maxChunkSizeTokens; }
        public void setMaxChunkSizeTokens(Integer v) { this.maxChunkSizeTokens = v; }
        public Integer getOverlapTokens() { return overlapTokens; }
        public void setOverlapTokens(Integer v) { this.overlapTokens = v; }
        public String getTokenEncoding() { return tokenEncoding; }
        public void setTokenEncoding(String v) { this.tokenEncoding = v; }
        public Long getTokensPerMinute() { return tokensPerMinute; }
        public void setTokensPerMinute(Long v) { this.tokensPerMinute = v; }
    }

    /** The spec's {@code WorkerProcessing} section. */
    public static class WorkerProcessing {
        /** Jobs one process runs at once (MaxConcurrentJobs; default 3; env AAR_MAX_CONCURRENT_JOBS wins). */
        private Integer maxConcurrentJobs;
        /** Files processed between checkpoints (CheckpointIntervalFiles; default 100; env AAR_CHECKPOINT_INTERVAL wins). */
        private Integer checkpointIntervalFiles;
        /** Retries after the first failure before dead-lettering (MaxRetryAttempts; default 3). */
        private Integer maxRetryAttempts;
        /** Base delay of the exponential backoff in seconds (RetryDelaySeconds; default 30). */
        private Integer retryDelaySeconds;
        /** How long a claimed job stays leased without a heartbeat, in seconds (LeaseSeconds; default 30). */
        private Integer leaseSeconds;
        /** How long running jobs get to finish at shutdown, in seconds (ShutdownGraceSeconds; default 30). */
        private Integer shutdownGraceSeconds;
        /** Worker slots that take only Critical jobs (ReservedCriticalSlots; default 0). */
        private Integer reservedCriticalSlots;

        public Integer getMaxConcurrentJobs() { return maxConcurrentJobs; }
        public void setMaxConcurrentJobs(Integer v) { this.maxConcurrentJobs = v; }
        public Integer getCheckpointIntervalFiles() { return checkpointIntervalFiles; }
        public void setCheckpointIntervalFiles(Integer v) { this.checkpointIntervalFiles = v; }
        public Integer getMaxRetryAttempts() { return maxRetryAttempts; }
        public void setMaxRetryAttempts(Integer v) { this.maxRetryAttempts = v; }
        public Integer getRetryDelaySeconds() { return retryDelaySeconds; }
        public void setRetryDelaySeconds(Integer v) { this.retryDelaySeconds = v; }
        public Integer getLeaseSeconds() { return leaseSeconds; }
        public void setLeaseSeconds(Integer v) { this.leaseSeconds = v; }
        public Integer getShutdownGraceSeconds() { return shutdownGraceSeconds; }
        public void setShutdownGraceSeconds(Integer v) { this.shutdownGraceSeconds = v; }
        public Integer getReservedCriticalSlots() { return reservedCriticalSlots; }
        public void setReservedCriticalSlots(Integer v) { this.reservedCriticalSlots = v; }
    }

    /** The spec's {@code StoragePolicy} section. */
    public static class StoragePolicy {
        /** Stored project data older than this many days is deleted; 0 keeps it (RetentionDays; default 90). */
        private Integer retentionDays;
        /** Compress stored archives when that saves space (CompressionEnabled; default true). */
        private Boolean compressionEnabled;
        /** Encrypt stored archives with AES-256-GCM (EncryptionEnabled; default true). */
        private Boolean encryptionEnabled;
        /** Base64 of a 32-byte key (EncryptionKey; env AAR_STORAGE_KEY wins); unset: storage.key in the data directory. */
        private String encryptionKey;

        public Integer getRetentionDays() { return retentionDays; }
        public void setRetentionDays(Integer v) { this.retentionDays = v; }
        public Boolean getCompressionEnabled() { return compressionEnabled; }
        public void setCompressionEnabled(Boolean v) { this.compressionEnabled = v; }
        public Boolean getEncryptionEnabled() { return encryptionEnabled; }
        public void setEncryptionEnabled(Boolean v) { this.encryptionEnabled = v; }
        public String getEncryptionKey() { return encryptionKey; }
        public void setEncryptionKey(String v) { this.encryptionKey = v; }
    }

    /** The spec's {@code ResumableUpload} section. */
    public static class ResumableUpload {
        /** Size of every part but the last (ChunkSizeBytes; default 4194304). */
        private Integer chunkSizeBytes;
        /** An unfinished session expires this many minutes after creation (SessionExpirationMinutes; default 60). */
        private Integer sessionExpirationMinutes;
        /** Most parts one upload may have (MaxPartsPerUpload; default 10000). */
        private Integer maxPartsPerUpload;

        public Integer getChunkSizeBytes() { return chunkSizeBytes; }
        public void setChunkSizeBytes(Integer v) { this.chunkSizeBytes = v; }
        public Integer getSessionExpirationMinutes() { return sessionExpirationMinutes; }
        public void setSessionExpirationMinutes(Integer v) { this.sessionExpirationMinutes = v; }
        public Integer getMaxPartsPerUpload() { return maxPartsPerUpload; }
        public void setMaxPartsPerUpload(Integer v) { this.maxPartsPerUpload = v; }
    }

    /**
     * The {@code Connections} section. With {@code aar-azure}, Azure blobs and OpenAI embeddings are made from it
     * unless the context has a {@code BlobStore} / {@code EmbeddingProvider} bean or a {@code BlobServiceClient} /
     * {@code OpenAIClient} bean (then the container, model and deployment still come from here).
     */
    public static class Connections {
        /** JDBC URL of the database (DatabaseUrl; env AAR_DATABASE_URL wins); a DataSource bean is what the starter uses. */
        private String databaseUrl;
        /** Azure Storage connection string (AzureStorageConnectionString; env AZURE_STORAGE_CONNECTION_STRING wins); set, it makes the Azure blob store. */
        private String azureStorageConnectionString;
        /** Azure blob container (AzureStorageContainer; default aar), also with a BlobServiceClient bean. */
        private String azureStorageContainer;
        /** Azure OpenAI endpoint (AzureOpenAiEndpoint; env AZURE_OPENAI_ENDPOINT wins); set, it makes Azure OpenAI embeddings. */
        private String azureOpenAiEndpoint;
        /** Azure OpenAI key (AzureOpenAiKey; env AZURE_OPENAI_KEY wins). */
        private String azureOpenAiKey;
        /** Azure OpenAI deployment (AzureOpenAiDeployment; default the model name); with an OpenAIClient bean, set means Azure OpenAI. */
        private String azureOpenAiDeployment;
        /** OpenAI API key (OpenAiApiKey; env OPENAI_API_KEY wins); set, it makes OpenAI embeddings. */
        private String openAiApiKey;
        /** OpenAI base URL (OpenAiBaseUrl; env OPENAI_BASE_URL wins). */
        private String openAiBaseUrl;
        /** Embedding model name (EmbeddingModel; default text-embedding-3-small), also with an OpenAIClient bean. */
        private String embeddingModel;

        public String getDatabaseUrl() { return databaseUrl; }
        public void setDatabaseUrl(String v) { this.databaseUrl = v; }
        public String getAzureStorageConnectionString() { return azureStorageConnectionString; }
        public void setAzureStorageConnectionString(String v) { this.azureStorageConnectionString = v; }
        public String getAzureStorageContainer() { return azureStorageContainer; }
        public void setAzureStorageContainer(String v) { this.azureStorageContainer = v; }
        public String getAzureOpenAiEndpoint() { return azureOpenAiEndpoint; }
        public void setAzureOpenAiEndpoint(String v) { this.azureOpenAiEndpoint = v; }
        public String getAzureOpenAiKey() { return azureOpenAiKey; }
        public void setAzureOpenAiKey(String v) { this.azureOpenAiKey = v; }
        public String getAzureOpenAiDeployment() { return azureOpenAiDeployment; }
        public void setAzureOpenAiDeployment(String v) { this.azureOpenAiDeployment = v; }
        public String getOpenAiApiKey() { return openAiApiKey; }
        public void setOpenAiApiKey(String v) { this.openAiApiKey = v; }
        public String getOpenAiBaseUrl() { return openAiBaseUrl; }
        public void setOpenAiBaseUrl(String v) { this.openAiBaseUrl = v; }
        public String getEmbeddingModel() { return embeddingModel; }
        public void setEmbeddingModel(String v) { this.embeddingModel = v; }
    }

    /** Whether this process runs analysis jobs. */
    public static class Workers {
        /** Start the worker pool with the context and stop it gracefully with it. */
        private boolean enabled = true;

        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
    }

    /** Whether this process runs the periodic clean-up. */
    public static class Housekeeping {
        /** Start housekeeping (expired uploads, retention, finished jobs) with the context; safe on every node. */
        private boolean enabled = true;

        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
    }
}
