package dev.aar.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.aar.core.error.ConfigException;
import dev.aar.core.error.ConfigException.Reason;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way a value can be refused: one message naming the key, the value given and what is allowed. */
class ConfigValidationTest {

    static Stream<Arguments> badFileValues() {
        return Stream.of(
                bad("ScaleLimits", "MaxUploadSizeMb", "-1", Reason.OUT_OF_RANGE, "= -1", "1..1048576"),
                bad("ScaleLimits", "MaxUploadSizeMb", "4294967796", Reason.OUT_OF_RANGE, "= 4294967796", "1..1048576"),
                bad("ScaleLimits", "MaxUploadSizeMb", "99999999999999999999", Reason.OUT_OF_RANGE,
                        "= 99999999999999999999", "1..1048576"),
                bad("ScaleLimits", "MaxFilesPerProject", "0", Reason.OUT_OF_RANGE, "= 0", "1..100000000"),
                bad("ScaleLimits", "MaxFileSizeBytes", "\"ten megabytes\"", Reason.WRONG_TYPE,
                        "= \"ten megabytes\" is not a whole number", "1.."),
                bad("ScaleLimits", "AutoApprovalThresholdFiles", "-5", Reason.OUT_OF_RANGE, "= -5", "0..2147483647"),
                bad("ScaleLimits", "AutoApprovalThresholdTokens", "true", Reason.WRONG_TYPE, "= true", "0.."),
                bad("ScaleLimits", "MaxCompressionRatio", "0", Reason.OUT_OF_RANGE, "= 0", "1..1000000"),
                bad("ScaleLimits", "MaxArchiveEntries", "10000001", Reason.OUT_OF_RANGE, "= 10000001", "1..10000000"),
                bad("ScaleLimits", "ExcludedDirectories", "[\"a/b\"]", Reason.OUT_OF_RANGE, "= a/b",
                        "single directory names"),
                bad("ScaleLimits", "ExcludedDirectories", "\"node_modules\"", Reason.WRONG_TYPE, "\"node_modules\"",
                        "not an array of strings"),
                bad("EmbeddingProcessing", "BatchSize", "1.5", Reason.WRONG_TYPE, "= 1.5 is not a whole number", "1..2048"),
                bad("EmbeddingProcessing", "BatchSize", "0", Reason.OUT_OF_RANGE, "= 0", "1..2048"),
                bad("EmbeddingProcessing", "MaxConcurrency", "257", Reason.OUT_OF_RANGE, "= 257", "1..256"),
                bad("EmbeddingProcessing", "CostPerMillionTokens", "-0.1", Reason.OUT_OF_RANGE, "= -0.1",
                        "0.0..1000000.0"),
                bad("EmbeddingProcessing", "CostPerMillionTokens", "\"cheap\"", Reason.WRONG_TYPE,
                        "= \"cheap\" is not a number", "0.0..1000000.0"),
                bad("EmbeddingProcessing", "MaxChunkSizeTokens", "8", Reason.OUT_OF_RANGE, "= 8", "16..8192"),
                bad("EmbeddingProcessing", "OverlapTokens", "300", Reason.OUT_OF_RANGE, "= 300", "at most half"),
                bad("EmbeddingProcessing", "TokenEncoding", "\"utf8\"", Reason.OUT_OF_RANGE, "= utf8", "cl100k_base"),
                bad("EmbeddingProcessing", "TokenEncoding", "{}", Reason.WRONG_TYPE, "= {}", "not a string"),
                bad("WorkerProcessing", "MaxConcurrentJobs", "\"three\"", Reason.WRONG_TYPE, "= \"three\"", "1..1024"),
                bad("WorkerProcessing", "CheckpointIntervalFiles", "0", Reason.OUT_OF_RANGE, "= 0", "1..1000000"),
                bad("WorkerProcessing", "MaxRetryAttempts", "-1", Reason.OUT_OF_RANGE, "= -1", "0..100"),
                bad("WorkerProcessing", "RetryDelaySeconds", "86401", Reason.OUT_OF_RANGE, "= 86401", "0..86400"),
                bad("WorkerProcessing", "LeaseSeconds", "1", Reason.OUT_OF_RANGE, "= 1", "2..3600"),
                bad("StoragePolicy", "RetentionDays", "[90]", Reason.WRONG_TYPE, "= [90]", "0..36500"),
                bad("StoragePolicy", "CompressionEnabled", "\"yes\"", Reason.WRONG_TYPE, "= \"yes\"", "true, false"),
                bad("StoragePolicy", "EncryptionEnabled", "1", Reason.WRONG_TYPE, "= 1", "true, false"),
                bad("ResumableUpload", "ChunkSizeBytes", "1023", Reason.OUT_OF_RANGE, "= 1023", "1024..2147483647"),
                bad("ResumableUpload", "SessionExpirationMinutes", "0", Reason.OUT_OF_RANGE, "= 0", "1..43200"),
                bad("ResumableUpload", "MaxPartsPerUpload", "50001", Reason.OUT_OF_RANGE, "= 50001", "1..50000"),
                bad("Connections", "AzureOpenAiEndpoint", "\"example.com\"", Reason.OUT_OF_RANGE, "= example.com",
                        "http:// or https://"),
                bad("Connections", "AzureStorageContainer", "\"Bad_Name\"", Reason.OUT_OF_RANGE, "= Bad_Name",
                        "3-63 lowercase letters"));
    }

    private static Arguments bad(String section, String key, String json, Reason reason, String value, String allowed) {
        return Arguments.of(section, key, json, reason, value, allowed);
    }

    @ParameterizedTest(name = "{0}.{1} = {2}")
    @MethodSource("badFileValues")
    void aBadValueIsRefusedNamingKeyValueAndRange(String section, String key, String json, Reason reason,
            String value, String allowed) {
        String text = "{ \"" + section + "\": { \"" + key + "\": " + json + " } }";

        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.withEnvironment(Map.of()).parse(text, "appsettings.json"));

        assertThat(e).as("refused: %s", text).isNotNull();
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.getMessage())
                .startsWith("configuration file appsettings.json: ")
                .contains(section + "." + key)
                .contains(value)
                .contains(allowed);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sectionsThatAreNotObjects")
    void aSectionThatIsNotAnObjectIsRefused(String json) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.withEnvironment(Map.of()).parse(json, "appsettings.json"));

        assertThat(e.reason()).isEqualTo(Reason.WRONG_TYPE);
        assertThat(e.getMessage()).contains("ScaleLimits must be a JSON object");
    }

    static Stream<String> sectionsThatAreNotObjects() {
        return Stream.of("{ \"ScaleLimits\": 5 }", "{ \"ScaleLimits\": [] }", "{ \"scaleLimits\": \"x\" }");
    }

    @org.junit.jupiter.api.Test
    void anUploadLimitThatNeedsMorePartsThanAllowedIsInconsistent() {
        String json = """
                { "ScaleLimits": { "MaxUploadSizeMb": 500 },
                  "ResumableUpload": { "ChunkSizeBytes": 1024, "MaxPartsPerUpload": 10000 } }
                """;

        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.withEnvironment(Map.of()).parse(json, "appsettings.json"));

        assertThat(e.reason()).isEqualTo(Reason.INCONSISTENT);
        assertThat(e.getMessage()).contains("ScaleLimits.MaxUploadSizeMb = 500")
                .contains("ResumableUpload.ChunkSizeBytes = 1024")
                .contains("ResumableUpload.MaxPartsPerUpload = 10000")
                .contains("512000 parts");
    }

    @org.junit.jupiter.api.Test
    void anUploadLimitExactlyAtTheLimitIsAccepted() {
        // 500 MiB in 4 MiB parts is 125 parts
        AarConfig config = ConfigLoader.withEnvironment(Map.of()).parse("""
                { "ResumableUpload": { "MaxPartsPerUpload": 125 } }
                """, "appsettings.json");

        assertThat(config.resumableUpload().maxPartsPerUpload()).isEqualTo(125);
    }

    static Stream<Arguments> badEnvironmentValues() {
        return Stream.of(
                Arguments.of("AAR_MAX_CONCURRENT_JOBS", "abc", Reason.WRONG_TYPE,
                        "WorkerProcessing.MaxConcurrentJobs", "\"abc\"", "1..1024"),
                Arguments.of("AAR_MAX_CONCURRENT_JOBS", "0", Reason.OUT_OF_RANGE,
                        "WorkerProcessing.MaxConcurrentJobs", "= 0", "1..1024"),
                Arguments.of("AAR_MAX_CONCURRENT_JOBS", "4294967299", Reason.OUT_OF_RANGE,
                        "WorkerProcessing.MaxConcurrentJobs", "= 4294967299", "1..1024"),
                Arguments.of("AAR_CHECKPOINT_INTERVAL", "-5", Reason.OUT_OF_RANGE,
                        "WorkerProcessing.CheckpointIntervalFiles", "= -5", "1..1000000"),
                Arguments.of("AAR_AUTO_APPROVAL_THRESHOLD", "1.5", Reason.WRONG_TYPE,
                        "ScaleLimits.AutoApprovalThresholdFiles", "\"1.5\"", "0..2147483647"),
                Arguments.of("AZURE_OPENAI_ENDPOINT", "ftp://example.com", Reason.OUT_OF_RANGE,
                        "Connections.AzureOpenAiEndpoint", "ftp://example.com", "http:// or https://"),
                Arguments.of("OPENAI_BASE_URL", "localhost:8080", Reason.OUT_OF_RANGE,
                        "Connections.OpenAiBaseUrl", "localhost:8080", "http:// or https://"),
                Arguments.of("AAR_DATABASE_URL", "postgres://db/aar", Reason.OUT_OF_RANGE,
                        "Connections.DatabaseUrl", "postgres://db/aar", "jdbc:"),
                Arguments.of("AAR_STORAGE_KEY", "c2hvcnQ=", Reason.OUT_OF_RANGE,
                        "StoragePolicy.EncryptionKey", "(5 bytes)", "base64 of exactly 32 bytes"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badEnvironmentValues")
    void aBadEnvironmentValueNamesTheVariable(String variable, String value, Reason reason, String key,
            String shown, String allowed) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.withEnvironment(Map.of(variable, value)).fromEnvironmentOnly());

        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.getMessage()).startsWith("environment variable " + variable)
                .contains(key).contains(shown).contains(allowed);
    }

    @org.junit.jupiter.api.Test
    void aKeyThatIsNotBase64IsRefusedWithoutEchoingIt() {
        String notBase64 = "this is not base64 but it is secret!";

        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> StoragePolicy.builder().encryptionKey(notBase64).build());

        assertThat(e.getMessage()).isEqualTo(
                "StoragePolicy.EncryptionKey = (not base64) is out of range; allowed: base64 of exactly 32 bytes");
    }

    @org.junit.jupiter.api.Test
    void aValidKeyDecodesToThirtyTwoBytes() {
        byte[] key = new byte[32];
        key[0] = 7;
        StoragePolicy policy = StoragePolicy.builder().encryptionKey(Base64.getEncoder().encodeToString(key)).build();

        assertThat(policy.encryptionKeyBytes()).isEqualTo(key);
    }
}
