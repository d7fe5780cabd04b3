package dev.aar.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.aar.core.error.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    /** The spec's appsettings.json, verbatim. */
    static final String SPEC_JSON = """
            {
              "ScaleLimits": {
                "MaxUploadSizeMb": 500,
                "MaxFilesPerProject": 50000,
                "MaxFileSizeBytes": 10485760,
                "AutoApprovalThresholdFiles": 1000,
                "AutoApprovalThresholdTokens": 500000
              },
              "EmbeddingProcessing": {
                "BatchSize": 100,
                "MaxConcurrency": 5,
                "CostPerMillionTokens": 0.10,
                "MaxChunkSizeTokens": 512,
                "OverlapTokens": 50
              },
              "WorkerProcessing": {
                "MaxConcurrentJobs": 3,
                "CheckpointIntervalFiles": 100,
                "MaxRetryAttempts": 3,
                "RetryDelaySeconds": 30
              },
              "StoragePolicy": {
                "RetentionDays": 90,
                "CompressionEnabled": true,
                "EncryptionEnabled": true
              },
              "ResumableUpload": {
                "ChunkSizeBytes": 4194304,
                "SessionExpirationMinutes": 60,
                "MaxPartsPerUpload": 10000
              }
            }
            """;

    @TempDir
    Path dir;

    private final ConfigLoader loader = ConfigLoader.withEnvironment(Map.of());

    @Test
    void theSpecsFileLoadsWithExactlyItsValues() throws Exception {
        AarConfig config = loader.load(write("appsettings.json", SPEC_JSON));

        ScaleLimits limits = config.scaleLimits();
        assertThat(limits.maxUploadSizeMb()).isEqualTo(500);
        assertThat(limits.maxFilesPerProject()).isEqualTo(50_000);
        assertThat(limits.maxFileSizeBytes()).isEqualTo(10_485_760L);
        assertThat(limits.autoApprovalThresholdFiles()).isEqualTo(1_000);
        assertThat(limits.autoApprovalThresholdTokens()).isEqualTo(500_000L);
        EmbeddingProcessing embedding = config.embeddingProcessing();
        assertThat(embedding.batchSize()).isEqualTo(100);
        assertThat(embedding.maxConcurrency()).isEqualTo(5);
        assertThat(embedding.costPerMillionTokens()).isEqualTo(0.10);
        assertThat(embedding.maxChunkSizeTokens()).isEqualTo(512);
        assertThat(embedding.overlapTokens()).isEqualTo(50);
        WorkerProcessing worker = config.workerProcessing();
        assertThat(worker.maxConcurrentJobs()).isEqualTo(3);
        assertThat(worker.checkpointIntervalFiles()).isEqualTo(100);
        assertThat(worker.maxRetryAttempts()).isEqualTo(3);
        assertThat(worker.retryDelaySeconds()).isEqualTo(30);
        StoragePolicy storage = config.storagePolicy();
        assertThat(storage.retentionDays()).isEqualTo(90);
        assertThat(storage.compressionEnabled()).isTrue();
        assertThat(storage.encryptionEnabled()).isTrue();
        ResumableUpload upload = config.resumableUpload();
        assertThat(upload.chunkSizeBytes()).isEqualTo(4_194_304);
        assertThat(upload.sessionExpirationMinutes()).isEqualTo(60);
        assertThat(upload.maxPartsPerUpload()).isEqualTo(10_000);

        assertThat(config).isEqualTo(AarConfig.defaults());
        assertThat(loader.warnings()).isEmpty();
    }

    @Test
    void aWholeAppSettingsFileWithForeignSectionsLoads() throws Exception {
        String json = """
                {
                  // .NET files carry comments and trailing commas
                  "Logging": { "LogLevel": { "Default": "Information", "Microsoft.AspNetCore": "Warning" } },
                  "AllowedHosts": "*",
                  "ConnectionStrings": { "DefaultConnection": "Server=.;Database=Aar;Password=hunter2" },
                  "Jwt": [1, 2, 3],
                  "WorkerProcessing": { "MaxConcurrentJobs": 7, },
                }
                """;
        AarConfig config = loader.load(write("appsettings.json", json));

        assertThat(config.workerProcessing().maxConcurrentJobs()).isEqualTo(7);
        assertThat(config.scaleLimits()).isEqualTo(ScaleLimits.defaults());
        assertThat(loader.warnings()).isEmpty();
    }

    @Test
    void sectionAndKeyNamesMatchWhateverTheCase() {
        AarConfig config = loader.parse("""
                { "scalelimits": { "MAXUPLOADSIZEMB": 100 }, "workerProcessing": { "maxConcurrentJobs": 9 } }
                """, "inline");

        assertThat(config.scaleLimits().maxUploadSizeMb()).isEqualTo(100);
        assertThat(config.workerProcessing().maxConcurrentJobs()).isEqualTo(9);
        assertThat(loader.warnings()).isEmpty();
    }

    @Test
    void theCriticalReservationIsAnOptInSetting() {
        assertThat(AarConfig.defaults().workerProcessing().reservedCriticalSlots()).isZero();

        AarConfig config = loader.parse("""
                { "WorkerProcessing": { "MaxConcurrentJobs": 4, "ReservedCriticalSlots": 1 } }
                """, "inline");

        assertThat(config.workerProcessing().reservedCriticalSlots()).isEqualTo(1);
        assertThat(loader.warnings()).isEmpty();
    }

    @Test
    void anUnknownKeyInsideOurSectionIsAWarningNamingIt() {
        AarConfig config = loader.parse("""
                { "ScaleLimits": { "MaxUploadSizeMbs": 1, "MaxFilesPerProject": 10 } }
                """, "inline");

        assertThat(config.scaleLimits().maxFilesPerProject()).isEqualTo(10);
        assertThat(config.scaleLimits().maxUploadSizeMb()).isEqualTo(ScaleLimits.DEFAULT_MAX_UPLOAD_SIZE_MB);
        assertThat(loader.warnings()).singleElement().asString().contains("ScaleLimits.MaxUploadSizeMbs");
    }

    @Test
    void warningsBelongToTheLastLoadOnly() {
        loader.parse("{ \"ScaleLimits\": { \"Typo\": 1 } }", "first");
        loader.parse(SPEC_JSON, "second");

        assertThat(loader.warnings()).isEmpty();
    }

    @Test
    void wholeNumbersWrittenAsTextOrAsWholeDecimalsAreAccepted() {
        AarConfig config = loader.parse("""
                { "ScaleLimits": { "MaxUploadSizeMb": "200", "MaxFilesPerProject": 1e3 },
                  "EmbeddingProcessing": { "CostPerMillionTokens": "0.02" },
                  "StoragePolicy": { "CompressionEnabled": "false" } }
                """, "inline");

        assertThat(config.scaleLimits().maxUploadSizeMb()).isEqualTo(200);
        assertThat(config.scaleLimits().maxFilesPerProject()).isEqualTo(1000);
        assertThat(config.embeddingProcessing().costPerMillionTokens()).isEqualTo(0.02);
        assertThat(config.storagePolicy().compressionEnabled()).isFalse();
    }

    @Test
    void nullMeansTheDefault() {
        AarConfig config = loader.parse("{ \"ScaleLimits\": { \"MaxUploadSizeMb\": null } }", "inline");

        assertThat(config.scaleLimits().maxUploadSizeMb()).isEqualTo(ScaleLimits.DEFAULT_MAX_UPLOAD_SIZE_MB);
    }

    @Test
    void anEmptyFileGivesTheDefaults() throws Exception {
        assertThat(loader.load(write("empty.json", ""))).isEqualTo(AarConfig.defaults());
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope/appsettings.json");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.load(missing));

        assertThat(e.reason()).isEqualTo(ConfigException.Reason.FILE_UNREADABLE);
        assertThat(e.code()).isEqualTo("config.file_unreadable");
        assertThat(e.getMessage()).contains(missing.toAbsolutePath().toString()).contains("does not exist");
    }

    @Test
    void malformedJsonSaysWhichFileAndWhere() throws Exception {
        Path file = write("appsettings.json", """
                {
                  "ScaleLimits": {
                    "MaxUploadSizeMb": 500,,
                  }
                }
                """);

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.load(file));

        assertThat(e.reason()).isEqualTo(ConfigException.Reason.MALFORMED);
        assertThat(e.getMessage()).isEqualTo("configuration file " + file.toAbsolutePath()
                + " is not valid JSON at line 3, column 28: Unexpected character (',' (code 44)):"
                + " was expecting double-quote to start field name");
    }

    @Test
    void aTopLevelThatIsNotAnObjectIsRefused() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parse("[1, 2]", "list.json"));

        assertThat(e.reason()).isEqualTo(ConfigException.Reason.MALFORMED);
        assertThat(e.getMessage()).contains("list.json").contains("JSON object");
    }

    @Test
    void aValueFromTheFileIsNamedWithTheFile() throws Exception {
        Path file = write("appsettings.json", "{ \"WorkerProcessing\": { \"MaxConcurrentJobs\": 0 } }");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.load(file));

        assertThat(e.getMessage()).isEqualTo("configuration file " + file.toAbsolutePath()
                + ": WorkerProcessing.MaxConcurrentJobs = 0 is out of range; allowed: 1..1024");
    }

    @Test
    void theEnvironmentWinsOverTheFile() {
        ConfigLoader withEnv = ConfigLoader.withEnvironment(Map.of(
                "AAR_MAX_CONCURRENT_JOBS", "5",
                "AAR_CHECKPOINT_INTERVAL", " 250 ",
                "AAR_AUTO_APPROVAL_THRESHOLD", "2000"));

        AarConfig config = withEnv.parse("""
                { "WorkerProcessing": { "MaxConcurrentJobs": 2, "CheckpointIntervalFiles": 10 } }
                """, "inline");

        assertThat(config.workerProcessing().maxConcurrentJobs()).isEqualTo(5);
        assertThat(config.workerProcessing().checkpointIntervalFiles()).isEqualTo(250);
        assertThat(config.scaleLimits().autoApprovalThresholdFiles()).isEqualTo(2000);
        assertThat(config.workerProcessing().maxRetryAttempts()).isEqualTo(WorkerProcessing.DEFAULT_MAX_RETRY_ATTEMPTS);
    }

    @Test
    void theEnvironmentAppliesToAConfigurationBuiltInCode() {
        AarConfig inCode = AarConfig.builder()
                .workerProcessing(WorkerProcessing.builder().maxConcurrentJobs(2).maxRetryAttempts(1).build()).build();

        AarConfig config = ConfigLoader.withEnvironment(Map.of("AAR_MAX_CONCURRENT_JOBS", "5")).applyEnvironment(inCode);

        assertThat(config.workerProcessing().maxConcurrentJobs()).isEqualTo(5);
        assertThat(config.workerProcessing().maxRetryAttempts()).isEqualTo(1);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader
                .withEnvironment(Map.of("AAR_MAX_CONCURRENT_JOBS", "0")).applyEnvironment(inCode));
        assertThat(e.getMessage()).isEqualTo(
                "environment variable AAR_MAX_CONCURRENT_JOBS: WorkerProcessing.MaxConcurrentJobs = 0 is out of range; allowed: 1..1024");
    }

    @Test
    void connectionsAndSecretsComeFromTheEnvironment() {
        String storageKey = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        ConfigLoader withEnv = ConfigLoader.withEnvironment(Map.of(
                "AAR_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres",
                "AZURE_OPENAI_ENDPOINT", "https://example.openai.azure.com/",
                "AZURE_OPENAI_KEY", "azure-key-123",
                "AZURE_STORAGE_CONNECTION_STRING", "UseDevelopmentStorage=true",
                "AAR_STORAGE_KEY", storageKey,
                "OPENAI_API_KEY", "sk-test-456",
                "OPENAI_BASE_URL", "http://127.0.0.1:8080/v1"));

        AarConfig config = withEnv.fromEnvironmentOnly();

        Connections c = config.connections();
        assertThat(c.databaseUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        assertThat(c.azureOpenAiEndpoint()).isEqualTo("https://example.openai.azure.com/");
        assertThat(c.azureOpenAiKey()).isEqualTo("azure-key-123");
        assertThat(c.azureStorageConnectionString()).isEqualTo("UseDevelopmentStorage=true");
        assertThat(c.openAiApiKey()).isEqualTo("sk-test-456");
        assertThat(c.openAiBaseUrl()).isEqualTo("http://127.0.0.1:8080/v1");
        assertThat(config.storagePolicy().encryptionKeyBytes()).hasSize(32);
    }

    @Test
    void blankVariablesCountAsUnset() {
        ConfigLoader withEnv = ConfigLoader.withEnvironment(Map.of(
                "AAR_MAX_CONCURRENT_JOBS", "  ", "AZURE_OPENAI_KEY", "", "AAR_DATABASE_URL", " "));

        assertThat(withEnv.fromEnvironmentOnly()).isEqualTo(AarConfig.defaults());
    }

    @Test
    void theSystemEnvironmentLoaderReadsTheProcessEnvironment() {
        // surefire blanks AZURE_OPENAI_KEY, so this loads whatever else the machine has, without failing
        assertThat(ConfigLoader.fromSystemEnvironment().fromEnvironmentOnly().connections().azureOpenAiKey()).isNull();
    }

    @Test
    void configInCodeUsesTheSameChecks() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ScaleLimits.builder().maxUploadSizeMb(0).build());

        assertThat(e.getMessage()).isEqualTo("ScaleLimits.MaxUploadSizeMb = 0 is out of range; allowed: 1..1048576");
        assertThat(e.code()).isEqualTo("config.out_of_range");
        assertThat(e.isClientError()).isTrue();
    }

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }
}
