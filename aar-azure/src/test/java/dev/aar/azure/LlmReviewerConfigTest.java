package dev.aar.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.azure.OpenAiEmbeddingConfig.Service;
import dev.aar.core.error.ConfigException;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.Connections;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlmReviewerConfigTest {

    private static final Connections OPENAI = Connections.builder().openAiApiKey("sk-abc").build();
    private static final Connections AZURE = Connections.builder().azureOpenAiEndpoint("https://res.openai.azure.com")
            .azureOpenAiKey("azure-key").azureOpenAiDeployment("embeddings").build();

    @Test
    void offWithoutTheSectionOrWhenNotEnabled() {
        assertThat(LlmReviewerConfig.parse("{}", "t", OPENAI)).isEmpty();
        assertThat(LlmReviewerConfig.parse("{\"LlmReview\": {\"ChatModel\": \"gpt-4o\"}}", "t", OPENAI)).isEmpty();
        assertThat(LlmReviewerConfig.parse("{\"LlmReview\": {\"Enabled\": false}}", "t", OPENAI)).isEmpty();
    }

    @Test
    void enabledOpenAiTakesKeyAndBaseUrlFromConnections() {
        Connections c = OPENAI.toBuilder().openAiBaseUrl("http://localhost:11434/v1").build();
        LlmReviewerConfig config = LlmReviewerConfig.parse("""
                {"llmreview": {"enabled": true, "ChatModel": "gpt-4.1-mini", "MaxPromptTokens": 30000,
                 "MaxAnswerTokens": 2000, "ChunksPerQuestion": 3, "MaxFindings": 10, "TokenEncoding": "cl100k_base",
                 "JsonResponseFormat": false, "TimeoutSeconds": 30}}""", "t", c).orElseThrow();

        assertThat(config.service()).isEqualTo(Service.OPENAI);
        assertThat(config.apiKey()).isEqualTo("sk-abc");
        assertThat(config.baseUrl()).isEqualTo("http://localhost:11434/v1");
        assertThat(config.model()).isEqualTo("gpt-4.1-mini");
        assertThat(config.maxPromptTokens()).isEqualTo(30_000);
        assertThat(config.maxAnswerTokens()).isEqualTo(2_000);
        assertThat(config.chunksPerQuestion()).isEqualTo(3);
        assertThat(config.maxFindings()).isEqualTo(10);
        assertThat(config.tokenEncoding()).isEqualTo("cl100k_base");
        assertThat(config.jsonResponseFormat()).isFalse();
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.toString()).doesNotContain("sk-abc");
    }

    @Test
    void enabledAzureUsesTheChatDeploymentNotTheEmbeddingOne() {
        LlmReviewerConfig config = LlmReviewerConfig.parse(
                "{\"LlmReview\": {\"Enabled\": true, \"AzureChatDeployment\": \"chat-4o\"}}", "t", AZURE).orElseThrow();

        assertThat(config.service()).isEqualTo(Service.AZURE_OPENAI);
        assertThat(config.baseUrl()).isEqualTo("https://res.openai.azure.com");
        assertThat(config.deployment()).isEqualTo("chat-4o");
        assertThat(config.model()).isEqualTo(LlmReviewerConfig.DEFAULT_MODEL);
        assertThat(config.apiVersion()).isEqualTo(LlmReviewerConfig.DEFAULT_AZURE_API_VERSION);
        assertThat(config.maxPromptTokens()).isEqualTo(LlmReviewerConfig.DEFAULT_MAX_PROMPT_TOKENS);
    }

    @Test
    void enabledWithoutAnEndpointIsRefusedNamingBothSettings() {
        assertThatThrownBy(() -> LlmReviewerConfig.parse("{\"LlmReview\": {\"Enabled\": true}}", "t", Connections.none()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Connections.AzureOpenAiEndpoint").hasMessageContaining("Connections.OpenAiApiKey");
    }

    @Test
    void unknownKeysAndBadValuesAreRefusedByName() {
        assertThatThrownBy(() -> LlmReviewerConfig.parse("{\"LlmReview\": {\"Enabled\": true, \"MaxPromptToken\": 9}}",
                "t", OPENAI)).isInstanceOf(ConfigException.class).hasMessageContaining("LlmReview.MaxPromptToken")
                .hasMessageContaining("MaxPromptTokens");
        assertThatThrownBy(() -> LlmReviewerConfig.parse("{\"LlmReview\": {\"Enabled\": true, \"MaxPromptTokens\": 10}}",
                "t", OPENAI)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("LlmReview.MaxPromptTokens = 10").hasMessageContaining("1000..");
        assertThatThrownBy(() -> LlmReviewerConfig.parse("{\"LlmReview\": {\"Enabled\": \"yes\"}}", "t", OPENAI))
                .isInstanceOf(ConfigException.class).hasMessageContaining("LlmReview.Enabled");
        assertThatThrownBy(() -> LlmReviewerConfig.openAi("k").tokenEncoding("gpt2-ish").build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("LlmReview.TokenEncoding = gpt2-ish");
    }

    @Test
    void fromConfigRegistersTheReviewerOnlyWhenEnabled(@TempDir Path dir) throws Exception {
        AarConfig aar = AarConfig.builder().connections(OPENAI).build();
        Path off = Files.writeString(dir.resolve("off.json"), "{\"Connections\": {}}");
        Path on = Files.writeString(dir.resolve("on.json"), "{\"LlmReview\": {\"Enabled\": true}}");

        assertThat(LlmReviewer.fromConfig(aar, off)).isEmpty();
        try (LlmReviewer reviewer = LlmReviewer.fromConfig(aar, on).orElseThrow()) {
            assertThat(reviewer.id()).isEqualTo(LlmReviewer.ID);
            assertThat(dev.aar.core.analysis.Analyzers.builder().add(reviewer).build().ids()).containsExactly("llm-review");
        }
    }
}
