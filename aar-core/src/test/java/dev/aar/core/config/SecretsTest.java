package dev.aar.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Secrets never reach toString() nor any exception message, wherever they come from. */
class SecretsTest {

    private static final String STORAGE_KEY = Base64.getEncoder().encodeToString(
            "0123456789abcdef0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    @Test
    void toStringShowsNoSecret() {
        AarConfig config = ConfigLoader.withEnvironment(Map.of(
                "AAR_DATABASE_URL", "jdbc:postgresql://aar:pg-pass-1@db:5432/aar?sslpassword=pg-ssl-2&user=aar",
                "AZURE_OPENAI_KEY", "azure-key-3",
                "AZURE_STORAGE_CONNECTION_STRING", "AccountName=x;AccountKey=storage-key-4",
                "OPENAI_API_KEY", "sk-openai-5",
                "AAR_STORAGE_KEY", STORAGE_KEY)).fromEnvironmentOnly();

        String text = config.toString();

        assertThat(text).doesNotContain("pg-pass-1", "pg-ssl-2", "azure-key-3", "storage-key-4", "sk-openai-5",
                STORAGE_KEY, "0123456789");
        assertThat(text).contains("databaseUrl=jdbc:postgresql://aar:****@db:5432/aar?sslpassword=****&user=****");
        assertThat(text).contains("azureOpenAiKey=****", "openAiApiKey=****", "encryptionKey=****");
        assertThat(config.connections().azureOpenAiKey()).isEqualTo("azure-key-3");
    }

    @Test
    void aKeyPastedIntoAnEndpointIsMaskedToo() {
        Connections c = Connections.builder().azureOpenAiEndpoint("https://x.openai.azure.com/?api-key=pasted-7")
                .openAiBaseUrl("https://user:pasted-8@proxy.example/v1").build();

        assertThat(c.toString()).doesNotContain("pasted-7", "pasted-8").contains("https://x.openai.azure.com/");
        Throwable e = catchThrowable(() -> Connections.builder().openAiBaseUrl("ftp://u:pasted-9@h/").build());
        assertThat(messages(e)).allSatisfy(m -> assertThat(m).doesNotContain("pasted-9"));
    }

    @Test
    void unsetSecretsSaySo() {
        assertThat(Connections.none().toString()).contains("azureOpenAiKey=(unset)", "databaseUrl=(unset)");
    }

    @Test
    void maskUrlHidesPasswordsInEveryUsualPlace() {
        assertThat(Secrets.maskUrl("jdbc:postgresql://u:p@ss:w0rd@host/db")).doesNotContain("w0rd");
        assertThat(Secrets.maskUrl("jdbc:postgresql://host/db?user=u&password=hunter2"))
                .isEqualTo("jdbc:postgresql://host/db?user=****&password=****");
        assertThat(Secrets.maskUrl("jdbc:sqlserver://host;user=u;Password=hunter2;encrypt=true"))
                .doesNotContain("hunter2");
        assertThat(Secrets.maskUrl("jdbc:sqlite:/var/lib/aar/aar.db")).isEqualTo("jdbc:sqlite:/var/lib/aar/aar.db");
        assertThat(Secrets.mask("anything")).isEqualTo("****");
    }

    @Test
    void aSecretOfTheWrongTypeIsNotEchoed() {
        Throwable e = catchThrowable(() -> ConfigLoader.withEnvironment(Map.of())
                .parse("{ \"Connections\": { \"AzureOpenAiKey\": 1234567890123 } }", "appsettings.json"));

        assertThat(messages(e)).allSatisfy(m -> assertThat(m).doesNotContain("1234567890123"))
                .anySatisfy(m -> assertThat(m).contains("Connections.AzureOpenAiKey"));
    }

    @Test
    void malformedJsonAroundASecretDoesNotQuoteIt() {
        String json = """
                {
                  "Connections": {
                    "AzureOpenAiKey": sk-live-supersecret
                  }
                }
                """;

        Throwable e = catchThrowable(() -> ConfigLoader.withEnvironment(Map.of()).parse(json, "appsettings.json"));

        assertThat(messages(e)).isNotEmpty().allSatisfy(m -> assertThat(m).doesNotContain("supersecret"));
        assertThat(e.getMessage()).contains("appsettings.json").contains("line 3");
    }

    @Test
    void aBadDatabaseUrlIsShownMasked() {
        Throwable e = catchThrowable(() -> ConfigLoader.withEnvironment(
                Map.of("AAR_DATABASE_URL", "postgres://aar:db-secret@db/aar?password=db-secret")).fromEnvironmentOnly());

        assertThat(messages(e)).allSatisfy(m -> assertThat(m).doesNotContain("db-secret"))
                .anySatisfy(m -> assertThat(m).contains("AAR_DATABASE_URL"));
    }

    @Test
    void aBadStorageKeyFromTheEnvironmentIsNotEchoed() {
        Throwable e = catchThrowable(() -> ConfigLoader.withEnvironment(
                Map.of("AAR_STORAGE_KEY", "not-base64-secret!")).fromEnvironmentOnly());

        assertThat(messages(e)).allSatisfy(m -> assertThat(m).doesNotContain("not-base64-secret"))
                .anySatisfy(m -> assertThat(m).contains("AAR_STORAGE_KEY"));
    }

    private static List<String> messages(Throwable e) {
        List<String> all = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.add(String.valueOf(t.getMessage()));
            all.add(t.toString());
        }
        return all;
    }
}
