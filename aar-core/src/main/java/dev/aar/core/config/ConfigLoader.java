package dev.aar.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.aar.core.error.ConfigException;
import dev.aar.core.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");
    private static final Set<String> KEYWORDS = Set.of("null", "true", "false", "NaN");

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
        JsonNode root;
        try {
            root = Json.readSettings(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            // no cause attached: Jackson's own message quotes the offending text, which may be a secret
            throw new ConfigException(ConfigException.Reason.MALFORMED,
                    "configuration file " + source + " is not valid JSON" + where + ": "
                            + hideQuotedText(e.getOriginalMessage()));
        }
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
        if (message == null) {
            return "";
        }
        Matcher m = QUOTED.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String text = m.group(1);
            boolean harmless = text.length() <= 1 || KEYWORDS.contains(text);
            m.appendReplacement(out, Matcher.quoteReplacement(harmless ? m.group() : "(text hidden)"));
        }
        m.appendTail(out);
        return out.toString();
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
        String key = Json.key(root, name);
        if (key == null) {
            return new Section(name, Json.object());
        }
        JsonNode value = root.get(key);
        if (!value.isObject()) {
            throw new ConfigException(ConfigException.Reason.WRONG_TYPE,
                    name + " must be a JSON object, was " + value.getNodeType());
        }
        return new Section(name, value);
    }

    /** Reads one section's keys, remembering which were used so the rest can be reported. */
    private final class Section {
        private final String name;
        private final JsonNode node;
        private final Set<String> used = new HashSet<>();

        Section(String name, JsonNode node) {
            this.name = name;
            this.node = node;
        }

        private JsonNode get(String key) {
            String actual = Json.key(node, key);
            if (actual == null) {
                return null;
            }
            used.add(actual);
            JsonNode value = node.get(actual);
            return value.isNull() ? null : value;
        }

        void whole(Key key, java.util.function.LongConsumer setter) {
            JsonNode v = get(key.name);
            if (v == null) {
                return;
            }
            long value;
            if (v.isIntegralNumber()) {
                if (!v.canConvertToLong()) {
                    throw key.outOfRange(v.toString());
                }
                value = v.longValue();
            } else if (v.isTextual()) {
                try {
                    value = Long.parseLong(v.textValue().trim());
                } catch (NumberFormatException e) {
                    throw key.wrongType("\"" + v.textValue() + "\"");
                }
            } else if (v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue()) && Math.abs(v.doubleValue()) < 9e15) {
                value = (long) v.doubleValue(); // 1e3 or 100.0 are whole numbers written oddly
            } else {
                throw key.wrongType(v.toString());
            }
            // checked here, before the setters narrow to int: 4294967796 must not wrap around to 500
            setter.accept(key.check(value));
        }

        void decimal(Key key, java.util.function.DoubleConsumer setter) {
            JsonNode v = get(key.name);
            if (v == null) {
                return;
            }
            if (v.isNumber()) {
                setter.accept(v.doubleValue());
            } else if (v.isTextual()) {
                try {
                    setter.accept(Double.parseDouble(v.textValue().trim()));
                } catch (NumberFormatException e) {
                    throw key.wrongType("\"" + v.textValue() + "\"");
                }
            } else {
                throw key.wrongType(v.toString());
            }
        }

        void bool(String key, Consumer<Boolean> setter) {
            JsonNode v = get(key);
            if (v == null) {
                return;
            }
            if (v.isBoolean()) {
                setter.accept(v.booleanValue());
            } else if (v.isTextual() && (v.textValue().equalsIgnoreCase("true") || v.textValue().equalsIgnoreCase("false"))) {
                setter.accept(Boolean.parseBoolean(v.textValue()));
            } else {
                throw new ConfigException(ConfigException.Reason.WRONG_TYPE,
                        name + "." + key + " = " + v + " is not a boolean; allowed: true, false");
            }
        }

        void string(String key, Consumer<String> setter) {
            JsonNode v = get(key);
            if (v == null) {
                return;
            }
            if (!v.isValueNode() || v.isBoolean()) {
                throw new ConfigException(ConfigException.Reason.WRONG_TYPE,
                        name + "." + key + " = " + v + " is not a string");
            }
            setter.accept(v.asText());
        }

        void secret(String key, Consumer<String> setter) {
            JsonNode v = get(key);
            if (v == null) {
                return;
            }
            if (!v.isTextual()) {
                // the value may be a secret: say what is wrong without echoing it
                throw new ConfigException(ConfigException.Reason.WRONG_TYPE,
                        name + "." + key + " is not a string (value hidden: it may be a secret)");
            }
            setter.accept(v.textValue());
        }

        void stringList(String key, Consumer<List<String>> setter) {
            JsonNode v = get(key);
            if (v == null) {
                return;
            }
            if (!v.isArray()) {
                throw new ConfigException(ConfigException.Reason.WRONG_TYPE,
                        name + "." + key + " = " + v + " is not an array of strings");
            }
            List<String> values = new ArrayList<>();
            for (JsonNode item : v) {
                if (!item.isTextual()) {
                    throw new ConfigException(ConfigException.Reason.WRONG_TYPE,
                            name + "." + key + " holds " + item + ", which is not a string");
                }
                values.add(item.textValue());
            }
            setter.accept(values);
        }

        void finish() {
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String key = names.next();
                if (!used.contains(key)) {
                    String warning = "unknown configuration key " + name + "." + key + " ignored";
                    warnings.add(warning);
                    log.warn("{} (known keys are listed in docs/configuration.md)", warning);
                }
            }
        }
    }

}
