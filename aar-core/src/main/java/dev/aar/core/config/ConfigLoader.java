package dev.aar.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aar.core.error.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads an {@link AarConfig} from a JSON file in the spec's {@code appsettings.json} shape, then
 * applies environment overrides.
 *
 * <p>Section and key names match case-insensitively, as .NET configuration does. Sections other
 * than ours are ignored, so a whole existing {@code appsettings.json} loads; an unknown key inside
 * one of our sections is logged as a warning naming it (and kept in {@link #warnings()}), since it
 * is usually a typo. Environment variables win over the file:
 * {@code AAR_MAX_CONCURRENT_JOBS}, {@code AAR_CHECKPOINT_INTERVAL}, {@code AAR_AUTO_APPROVAL_THRESHOLD},
 * {@code AAR_DATABASE_URL}, {@code AAR_STORAGE_KEY}, {@code AZURE_OPENAI_ENDPOINT},
 * {@code AZURE_OPENAI_KEY}, {@code AZURE_STORAGE_CONNECTION_STRING}, {@code OPENAI_API_KEY},
 * {@code OPENAI_BASE_URL}.
 */
public final class ConfigLoader {

    private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);

    private final Map<String, String> environment;
    private final List<String> warnings = new ArrayList<>();

    private ConfigLoader(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** A loader that reads overrides from the process environment. */
    public static ConfigLoader fromSystemEnvironment() {
        return new ConfigLoader(System.getenv());
    }

    /** A loader that reads overrides from {@code environment} (for tests and hosts with their own settings). */
    public static ConfigLoader withEnvironment(Map<String, String> environment) {
        return new ConfigLoader(environment);
    }

    /** Returns the warnings of the last load (unknown keys), in the order found. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Loads {@code file}, then applies the environment. */
    public AarConfig load(Path file) {
        Objects.requireNonNull(file, "file");
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(ConfigException.Reason.FILE_UNREADABLE,
                    "configuration file " + file.toAbsolutePath() + " does not exist", e);
        } catch (IOException e) {
            throw new ConfigException(ConfigException.Reason.FILE_UNREADABLE,
                    "configuration file " + file.toAbsolutePath() + " cannot be read: " + e.getMessage(), e);
        }
        return parse(text, file.toAbsolutePath().toString());
    }

    /** Parses {@code json} (named {@code source} in messages), then applies the environment. */
    public AarConfig parse(String json, String source) {
        warnings.clear();
        JsonNode root = ConfigSection.parse(json, source);
        if (root == null || root.isMissingNode()) {
            return applyEnvironment(AarConfig.defaults());
        }
        if (!root.isObject()) {
            throw new ConfigException(ConfigException.Reason.MALFORMED,
                    "configuration file " + source + " must hold a JSON object at the top level");
        }
        AarConfig fromFile;
        try {
            fromFile = read(root);
        } catch (ConfigException e) {
            throw new ConfigException(e.reason(), "configuration file " + source + ": " + e.getMessage(), e);
        }
        return applyEnvironment(fromFile);
    }

    /** Replaces quoted snippets of the input (a mistyped key value, say) in a parser message, keeping JSON keywords. */
    static String hideQuotedText(String message) {
        return ConfigSection.hideQuotedText(message);
    }

    /** Returns the defaults with the environment applied (no file). */
    public AarConfig fromEnvironmentOnly() {
        warnings.clear();
        return applyEnvironment(AarConfig.defaults());
    }

    private AarConfig read(JsonNode root) {
        AarConfig.Builder config = AarConfig.builder();

        Section s = section(root, ScaleLimits.SECTION);
        ScaleLimits.Builder limits = ScaleLimits.builder();
        s.whole(ScaleLimits.K_MAX_UPLOAD_SIZE_MB, v -> limits.maxUploadSizeMb((int) v));
        s.whole(ScaleLimits.K_MAX_FILES_PER_PROJECT, v -> limits.maxFilesPerProject((int) v));
        s.whole(ScaleLimits.K_MAX_FILE_SIZE_BYTES, limits::maxFileSizeBytes);
        s.whole(ScaleLimits.K_AUTO_APPROVAL_THRESHOLD_FILES, v -> limits.autoApprovalThresholdFiles((int) v));
        s.whole(ScaleLimits.K_AUTO_APPROVAL_THRESHOLD_TOKENS, limits::autoApprovalThresholdTokens);
        s.whole(ScaleLimits.K_MAX_TOTAL_UNCOMPRESSED_BYTES, limits::maxTotalUncompressedBytes);
        s.whole(ScaleLimits.K_MAX_COMPRESSION_RATIO, v -> limits.maxCompressionRatio((int) v));
        s.whole(ScaleLimits.K_ORG_MONTHLY_TOKEN_LIMIT, limits::defaultMonthlyTokenLimit);
        s.whole(ScaleLimits.K_ORG_MONTHLY_PROJECT_LIMIT, v -> limits.defaultMonthlyProjectLimit((int) v));
        s.whole(ScaleLimits.K_ORG_STORAGE_LIMIT_BYTES, limits::defaultStorageLimitBytes);
        s.stringList("ExcludedDirectories", limits::excludedDirectories);
        s.whole(ScaleLimits.K_MAX_ARCHIVE_ENTRIES, v -> limits.maxArchiveEntries((int) v));
        s.finish();
        config.scaleLimits(limits.build());

        s = section(root, EmbeddingProcessing.SECTION);
        EmbeddingProcessing.Builder embedding = EmbeddingProcessing.builder();
        s.whole(EmbeddingProcessing.K_BATCH_SIZE, v -> embedding.batchSize((int) v));
        s.whole(EmbeddingProcessing.K_MAX_CONCURRENCY, v -> embedding.maxConcurrency((int) v));
        s.decimal(EmbeddingProcessing.K_COST_PER_MILLION_TOKENS, embedding::costPerMillionTokens);
        s.whole(EmbeddingProcessing.K_MAX_CHUNK_SIZE_TOKENS, v -> embedding.maxChunkSizeTokens((int) v));
        s.whole(EmbeddingProcessing.K_OVERLAP_TOKENS, v -> embedding.overlapTokens((int) v));
        s.string("TokenEncoding", embedding::tokenEncoding);
        s.whole(EmbeddingProcessing.K_TOKENS_PER_MINUTE, embedding::tokensPerMinute);
        s.finish();
        config.embeddingProcessing(embedding.build());

        s = section(root, WorkerProcessing.SECTION);
        WorkerProcessing.Builder worker = WorkerProcessing.builder();
        s.whole(WorkerProcessing.K_MAX_CONCURRENT_JOBS, v -> worker.maxConcurrentJobs((int) v));
        s.whole(WorkerProcessing.K_CHECKPOINT_INTERVAL_FILES, v -> worker.checkpointIntervalFiles((int) v));
        s.whole(WorkerProcessing.K_MAX_RETRY_ATTEMPTS, v -> worker.maxRetryAttempts((int) v));
        s.whole(WorkerProcessing.K_RETRY_DELAY_SECONDS, v -> worker.retryDelaySeconds((int) v));
        s.whole(WorkerProcessing.K_LEASE_SECONDS, v -> worker.leaseSeconds((int) v));
        s.whole(WorkerProcessing.K_SHUTDOWN_GRACE_SECONDS, v -> worker.shutdownGraceSeconds((int) v));
        s.whole(WorkerProcessing.K_RESERVED_CRITICAL_SLOTS, v -> worker.reservedCriticalSlots((int) v));
        s.finish();
        config.workerProcessing(worker.build());

        s = section(root, StoragePolicy.SECTION);
        StoragePolicy.Builder storage = StoragePolicy.builder();
        s.whole(StoragePolicy.K_RETENTION_DAYS, v -> storage.retentionDays((int) v));
        s.bool("CompressionEnabled", storage::compressionEnabled);
        s.bool("EncryptionEnabled", storage::encryptionEnabled);
        s.secret("EncryptionKey", storage::encryptionKey);
        s.finish();
        config.storagePolicy(storage.build());

        s = section(root, ResumableUpload.SECTION);
        ResumableUpload.Builder upload = ResumableUpload.builder();
        s.whole(ResumableUpload.K_CHUNK_SIZE_BYTES, v -> upload.chunkSizeBytes((int) v));
        s.whole(ResumableUpload.K_SESSION_EXPIRATION_MINUTES, v -> upload.sessionExpirationMinutes((int) v));
        s.whole(ResumableUpload.K_MAX_PARTS_PER_UPLOAD, v -> upload.maxPartsPerUpload((int) v));
        s.finish();
        config.resumableUpload(upload.build());

        s = section(root, Connections.SECTION);
        Connections.Builder connections = Connections.builder();
        s.secret("DatabaseUrl", connections::databaseUrl);
        s.secret("AzureStorageConnectionString", connections::azureStorageConnectionString);
        s.string("AzureStorageContainer", connections::azureStorageContainer);
        s.string("AzureOpenAiEndpoint", connections::azureOpenAiEndpoint);
        s.secret("AzureOpenAiKey", connections::azureOpenAiKey);
        s.string("AzureOpenAiDeployment", connections::azureOpenAiDeployment);
        s.secret("OpenAiApiKey", connections::openAiApiKey);
        s.string("OpenAiBaseUrl", connections::openAiBaseUrl);
        s.string("EmbeddingModel", connections::embeddingModel);
        s.finish();
        config.connections(connections.build());

        return config.build();
    }

    /**
     * Applies this loader's environment overrides to {@code base}, for a host that builds the configuration
     * another way (Spring properties); a refused value names its variable, as in {@link #load}.
     */
    public AarConfig applyEnvironment(AarConfig base) {
        Objects.requireNonNull(base, "base");
        AarConfig config = base;
        config = whole(config, "AAR_MAX_CONCURRENT_JOBS", WorkerProcessing.K_MAX_CONCURRENT_JOBS,
                (c, v) -> c.toBuilder().workerProcessing(c.workerProcessing().toBuilder().maxConcurrentJobs(v).build()));
        config = whole(config, "AAR_CHECKPOINT_INTERVAL", WorkerProcessing.K_CHECKPOINT_INTERVAL_FILES,
                (c, v) -> c.toBuilder().workerProcessing(c.workerProcessing().toBuilder().checkpointIntervalFiles(v).build()));
        config = whole(config, "AAR_AUTO_APPROVAL_THRESHOLD", ScaleLimits.K_AUTO_APPROVAL_THRESHOLD_FILES,
                (c, v) -> c.toBuilder().scaleLimits(c.scaleLimits().toBuilder().autoApprovalThresholdFiles(v).build()));
        String storageKey = env("AAR_STORAGE_KEY");
        if (storageKey != null) {
            AarConfig c = config;
            config = fromEnvironment("AAR_STORAGE_KEY", () -> c.toBuilder().storagePolicy(
                    c.storagePolicy().toBuilder().encryptionKey(storageKey).build()).build());
        }
        config = connection(config, "AAR_DATABASE_URL", Connections.Builder::databaseUrl);
        config = connection(config, "AZURE_STORAGE_CONNECTION_STRING", Connections.Builder::azureStorageConnectionString);
        config = connection(config, "AZURE_OPENAI_ENDPOINT", Connections.Builder::azureOpenAiEndpoint);
        config = connection(config, "AZURE_OPENAI_KEY", Connections.Builder::azureOpenAiKey);
        config = connection(config, "OPENAI_API_KEY", Connections.Builder::openAiApiKey);
        config = connection(config, "OPENAI_BASE_URL", Connections.Builder::openAiBaseUrl);
        return config;
    }

    /** Applies the whole-number variable {@code name}, if set, with {@code setter}. */
    private AarConfig whole(AarConfig config, String name, Key key,
            java.util.function.BiFunction<AarConfig, Integer, AarConfig.Builder> setter) {
        Long value = envWhole(name, key);
        if (value == null) {
            return config;
        }
        return fromEnvironment(name, () -> setter.apply(config, value.intValue()).build());
    }

    private AarConfig connection(AarConfig config, String name,
            java.util.function.BiFunction<Connections.Builder, String, Connections.Builder> setter) {
        String value = env(name);
        if (value == null) {
            return config;
        }
        return fromEnvironment(name, () -> config.toBuilder()
                .connections(setter.apply(config.connections().toBuilder(), value).build()).build());
    }

    /** Applies one override, so that a refused value names the variable it came from. */
    private static AarConfig fromEnvironment(String name, Supplier<AarConfig> override) {
        try {
            return override.get();
        } catch (ConfigException e) {
            throw new ConfigException(e.reason(), "environment variable " + name + ": " + e.getMessage(), e);
        }
    }

    /** Returns the variable's trimmed value, or null when it is unset or blank (blank means "not set" in most deployments). */
    private String env(String name) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private Long envWhole(String name, Key key) {
        String value = env(name);
        if (value == null) {
            return null;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(ConfigException.Reason.WRONG_TYPE, "environment variable " + name
                    + " (" + key.path() + ") = \"" + value + "\" is not a whole number; allowed: " + key.allowed());
        }
        try {
            key.check(parsed);
        } catch (ConfigException e) {
            throw new ConfigException(e.reason(), "environment variable " + name + ": " + e.getMessage(), e);
        }
        return parsed;
    }

    private Section section(JsonNode root, String name) {
        return new Section(ConfigSection.of(root, name));
    }

    /** The spec's typed keys over one {@link ConfigSection}; unknown keys become warnings. */
    private final class Section {
        private final ConfigSection section;

        Section(ConfigSection section) {
            this.section = section;
        }

        void whole(Key key, java.util.function.LongConsumer setter) {
            // checked here, before the setters narrow to int: 4294967796 must not wrap around to 500
            section.whole(key.name, key.allowed()).ifPresent(v -> setter.accept(key.check(v)));
        }

        void decimal(Key key, java.util.function.DoubleConsumer setter) {
            section.decimal(key.name, key.allowed()).ifPresent(setter);
        }

        void bool(String key, Consumer<Boolean> setter) {
            section.bool(key).ifPresent(setter);
        }

        void string(String key, Consumer<String> setter) {
            section.string(key).ifPresent(setter);
        }

        void secret(String key, Consumer<String> setter) {
            section.secret(key).ifPresent(setter);
        }

        void stringList(String key, Consumer<List<String>> setter) {
            section.strings(key).ifPresent(setter);
        }

        void finish() {
            for (String warning : section.finish(ConfigSection.UnknownKeys.WARN)) {
                warnings.add(warning);
                log.warn("{} (known keys are listed in docs/configuration.md)", warning);
            }
        }
    }
}
