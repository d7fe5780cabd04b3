package dev.aar.spring;

import dev.aar.core.config.AarConfig;
import dev.aar.core.config.ConfigLoader;
import dev.aar.core.config.Connections;
import dev.aar.core.config.EmbeddingProcessing;
import dev.aar.core.config.ResumableUpload;
import dev.aar.core.config.ScaleLimits;
import dev.aar.core.config.StoragePolicy;
import dev.aar.core.config.WorkerProcessing;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds an {@link AarConfig} from {@link AarProperties}: the named {@code appsettings.json} (or the
 * defaults), the properties that are set on top, then the spec's environment overrides, all through
 * {@code AarConfig}'s own builders so a refused value fails with the message {@code ConfigLoader} gives.
 */
public final class AarConfigFactory {

    private AarConfigFactory() {
    }

    /** Returns the configuration for {@code properties}, with {@code environment} as the override variables. */
    public static AarConfig create(AarProperties properties, Map<String, String> environment) {
        // the file alone first: the environment must win over the properties too, so it is applied last
        AarConfig base = properties.getConfigFile() != null
                ? ConfigLoader.withEnvironment(Map.of()).load(properties.getConfigFile())
                : AarConfig.defaults();
        AarConfig fromProperties = base.toBuilder()
                .scaleLimits(scaleLimits(base.scaleLimits(), properties.getScaleLimits()))
                .embeddingProcessing(embedding(base.embeddingProcessing(), properties.getEmbeddingProcessing()))
                .workerProcessing(worker(base.workerProcessing(), properties.getWorkerProcessing()))
                .storagePolicy(storage(base.storagePolicy(), properties.getStoragePolicy()))
                .resumableUpload(upload(base.resumableUpload(), properties.getResumableUpload()))
                .connections(connections(base.connections(), properties.getConnections()))
                .build();
        return ConfigLoader.withEnvironment(environment).applyEnvironment(fromProperties);
    }

    private static ScaleLimits scaleLimits(ScaleLimits base, AarProperties.ScaleLimits p) {
        ScaleLimits.Builder b = base.toBuilder();
        set(p.getMaxUploadSizeMb(), b::maxUploadSizeMb);
        set(p.getMaxFilesPerProject(), b::maxFilesPerProject);
        set(p.getMaxFileSizeBytes(), b::maxFileSizeBytes);
        set(p.getAutoApprovalThresholdFiles(), b::autoApprovalThresholdFiles);
        set(p.getAutoApprovalThresholdTokens(), b::autoApprovalThresholdTokens);
        set(p.getMaxTotalUncompressedBytes(), b::maxTotalUncompressedBytes);
        set(p.getMaxCompressionRatio(), b::maxCompressionRatio);
        set(p.getMaxArchiveEntries(), b::maxArchiveEntries);
        set(p.getExcludedDirectories(), b::excludedDirectories);
        set(p.getDefaultMonthlyTokenLimit(), b::defaultMonthlyTokenLimit);
        set(p.getDefaultMonthlyProjectLimit(), b::defaultMonthlyProjectLimit);
        set(p.getDefaultStorageLimitBytes(), b::defaultStorageLimitBytes);
        return b.build();
    }

    private static EmbeddingProcessing embedding(EmbeddingProcessing base, AarProperties.EmbeddingProcessing p) {
        EmbeddingProcessing.Builder b = base.toBuilder();
        set(p.getBatchSize(), b::batchSize);
        set(p.getMaxConcurrency(), b::maxConcurrency);
        set(p.getCostPerMillionTokens(), b::costPerMillionTokens);
        set(p.getMaxChunkSizeTokens(), b::maxChunkSizeTokens);
        set(p.getOverlapTokens(), b::overlapTokens);
        set(p.getTokenEncoding(), b::tokenEncoding);
        set(p.getTokensPerMinute(), b::tokensPerMinute);
        return b.build();
    }

    private static WorkerProcessing worker(WorkerProcessing base, AarProperties.WorkerProcessing p) {
        WorkerProcessing.Builder b = base.toBuilder();
        set(p.getMaxConcurrentJobs(), b::maxConcurrentJobs);
        set(p.getCheckpointIntervalFiles(), b::checkpointIntervalFiles);
        set(p.getMaxRetryAttempts(), b::maxRetryAttempts);
        set(p.getRetryDelaySeconds(), b::retryDelaySeconds);
        set(p.getLeaseSeconds(), b::leaseSeconds);
        set(p.getShutdownGraceSeconds(), b::shutdownGraceSeconds);
        set(p.getReservedCriticalSlots(), b::reservedCriticalSlots);
        return b.build();
    }

    private static StoragePolicy storage(StoragePolicy base, AarProperties.StoragePolicy p) {
        StoragePolicy.Builder b = base.toBuilder();
        set(p.getRetentionDays(), b::retentionDays);
        set(p.getCompressionEnabled(), b::compressionEnabled);
        set(p.getEncryptionEnabled(), b::encryptionEnabled);
        set(p.getEncryptionKey(), b::encryptionKey);
        return b.build();
    }

    private static ResumableUpload upload(ResumableUpload base, AarProperties.ResumableUpload p) {
        ResumableUpload.Builder b = base.toBuilder();
        set(p.getChunkSizeBytes(), b::chunkSizeBytes);
        set(p.getSessionExpirationMinutes(), b::sessionExpirationMinutes);
        set(p.getMaxPartsPerUpload(), b::maxPartsPerUpload);
        return b.build();
    }

    private static Connections connections(Connections base, AarProperties.Connections p) {
        Connections.Builder b = base.toBuilder();
        set(p.getDatabaseUrl(), b::databaseUrl);
        set(p.getAzureStorageConnectionString(), b::azureStorageConnectionString);
        set(p.getAzureStorageContainer(), b::azureStorageContainer);
        set(p.getAzureOpenAiEndpoint(), b::azureOpenAiEndpoint);
        set(p.getAzureOpenAiKey(), b::azureOpenAiKey);
        set(p.getAzureOpenAiDeployment(), b::azureOpenAiDeployment);
        set(p.getOpenAiApiKey(), b::openAiApiKey);
        set(p.getOpenAiBaseUrl(), b::openAiBaseUrl);
        set(p.getEmbeddingModel(), b::embeddingModel);
        return b.build();
    }

    /** Sets a property only when it is bound, so an unset one keeps the file's value or the default. */
    private static <T> void set(T value, Consumer<T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }
}
