package dev.aar.azure;

import dev.aar.azure.OpenAiEmbeddingConfig.Service;
import dev.aar.azure.internal.OpenAiClients;
import dev.aar.core.error.ConfigException;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.ConfigSection;
import dev.aar.core.config.Connections;
import dev.aar.core.config.Secrets;
import dev.aar.core.tokens.Tokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Immutable settings of an {@link LlmReviewer}: which chat endpoint and model, and how much it may send.
 *
 * <p>Start from {@link #openAi(String)}, {@link #azure(String, String, String)} or read the optional
 * {@value #SECTION} section with {@link #load(Path, AarConfig)}.
 *
 * @param service OpenAI (or any OpenAI-compatible server) or an Azure OpenAI resource
 * @param apiKey the OpenAI API key or the Azure OpenAI resource key; never printed
 * @param baseUrl OpenAI's base URL (with {@code /v1}), or the Azure resource endpoint
 * @param deployment Azure chat deployment (the {@code {deployment}} in the URL); ignored for OpenAI
 * @param apiVersion Azure {@code api-version} query parameter; ignored for OpenAI
 * @param model chat model name sent in the request (for Azure: the model behind the deployment)
 * @param maxPromptTokens most tokens sent in one review, instructions and excerpts together
 * @param maxAnswerTokens most tokens the model may answer ({@code max_completion_tokens})
 * @param chunksPerQuestion how many chunks are retrieved for each architecture question
 * @param maxFindings most findings taken from one answer
 * @param tokenEncoding jtokkit encoding used to count the prompt ({@code o200k_base} for GPT-4o and later)
 * @param jsonResponseFormat whether to send {@code response_format: json_object}; switch off for servers that refuse it
 * @param timeout limit of one request, connect to last byte
 */
public record LlmReviewerConfig(
        Service service,
        String apiKey,
        String baseUrl,
        String deployment,
        String apiVersion,
        String model,
        int maxPromptTokens,
        int maxAnswerTokens,
        int chunksPerQuestion,
        int maxFindings,
        String tokenEncoding,
        boolean jsonResponseFormat,
        Duration timeout) {

    /** The optional {@code appsettings.json} section the reviewer's own settings are read from. */
    public static final String SECTION = "LlmReview";
    public static final String DEFAULT_MODEL = "gpt-4o-mini";
    public static final String DEFAULT_AZURE_API_VERSION = OpenAiEmbeddingConfig.DEFAULT_AZURE_API_VERSION;
    public static final int DEFAULT_MAX_PROMPT_TOKENS = 16_000;
    public static final int DEFAULT_MAX_ANSWER_TOKENS = 4_000;
    public static final int DEFAULT_CHUNKS_PER_QUESTION = 6;
    public static final int DEFAULT_MAX_FINDINGS = 30;
    public static final String DEFAULT_TOKEN_ENCODING = "o200k_base";
    public static final boolean DEFAULT_JSON_RESPONSE_FORMAT = true;
    /** A long review answer takes a while to generate. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(180);
    /** Below this the instructions and questions alone would not fit. */
    public static final int MIN_PROMPT_TOKENS = 1_000;

    public LlmReviewerConfig {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(timeout, "timeout");
        OpenAiClients.checkConnection(service == Service.AZURE_OPENAI, apiKey, baseUrl, "the LLM reviewer");
        if (model == null || model.isBlank()) {
            throw missing(SECTION + ".ChatModel");
        }
        if (service == Service.AZURE_OPENAI) {
            if (deployment == null || deployment.isBlank()) {
                throw missing(SECTION + ".AzureChatDeployment");
            }
            if (apiVersion == null || !apiVersion.matches("\\d{4}-\\d{2}-\\d{2}(-preview)?")) {
                throw outOfRange("ApiVersion", apiVersion, "a date such as " + DEFAULT_AZURE_API_VERSION);
            }
        }
        checkRange("MaxPromptTokens", maxPromptTokens, MIN_PROMPT_TOKENS, 2_000_000);
        checkRange("MaxAnswerTokens", maxAnswerTokens, 100, 1_000_000);
        checkRange("ChunksPerQuestion", chunksPerQuestion, 1, 100);
        checkRange("MaxFindings", maxFindings, 1, 1_000);
        try {
            Tokenizers.encoding(Objects.requireNonNull(tokenEncoding, "tokenEncoding"));
        } catch (IllegalArgumentException e) {
            throw outOfRange("TokenEncoding", tokenEncoding, e.getMessage());
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw outOfRange("timeout", timeout, "a positive duration");
        }
    }

    /** Starts an OpenAI (or OpenAI-compatible) configuration with this API key and the defaults. */
    public static Builder openAi(String apiKey) {
        return new Builder(Service.OPENAI, apiKey, OpenAiEmbeddingConfig.DEFAULT_OPENAI_BASE_URL);
    }

    /** Starts an Azure OpenAI configuration for {@code endpoint} (the resource root) and a chat {@code deployment}. */
    public static Builder azure(String endpoint, String apiKey, String deployment) {
        return new Builder(Service.AZURE_OPENAI, apiKey, endpoint).deployment(deployment);
    }

    /**
     * Reads the optional {@value #SECTION} section of the JSON file {@code appsettings}, with the
     * endpoint and key from {@code config}'s {@code Connections}; empty unless {@code Enabled} is true.
     *
     * @throws ConfigException when the section is malformed, or enabled without an endpoint and key
     */
    public static Optional<LlmReviewerConfig> load(Path appsettings, AarConfig config) {
        try {
            return parse(Files.readString(appsettings), appsettings.toString(), config.connections());
        } catch (IOException e) {
            throw new ConfigException(ConfigException.Reason.FILE_UNREADABLE,
                    "configuration file " + appsettings.toAbsolutePath() + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the {@value #SECTION} section of {@code json} (named {@code source} in messages). Keys, all
     * optional and case-insensitive: {@code Enabled} (false), {@code ChatModel}, {@code AzureChatDeployment}
     * (defaults to the chat model), {@code ApiVersion}, {@code MaxPromptTokens}, {@code MaxAnswerTokens},
     * {@code ChunksPerQuestion}, {@code MaxFindings}, {@code TokenEncoding}, {@code JsonResponseFormat},
     * {@code TimeoutSeconds}. Azure OpenAI is used when {@code Connections.AzureOpenAiEndpoint} is set,
     * else OpenAI at {@code Connections.OpenAiBaseUrl}.
     */
    public static Optional<LlmReviewerConfig> parse(String json, String source, Connections connections) {
        ConfigSection s = ConfigSection.of(ConfigSection.parse(json, source), SECTION);
        if (!s.present()) {
            return Optional.empty();
        }
        boolean enabled = s.bool("Enabled").orElse(false);
        String model = s.string("ChatModel").orElse(DEFAULT_MODEL);
        Optional<String> deployment = s.string("AzureChatDeployment");
        Optional<String> apiVersion = s.string("ApiVersion");
        Optional<Integer> maxPrompt = s.wholeInt("MaxPromptTokens");
        Optional<Integer> maxAnswer = s.wholeInt("MaxAnswerTokens");
        Optional<Integer> chunks = s.wholeInt("ChunksPerQuestion");
        Optional<Integer> findings = s.wholeInt("MaxFindings");
        Optional<String> encoding = s.string("TokenEncoding");
        Optional<Boolean> jsonFormat = s.bool("JsonResponseFormat");
        Optional<Integer> timeoutSeconds = s.wholeInt("TimeoutSeconds");
        s.finish(ConfigSection.UnknownKeys.REFUSE);
        if (!enabled) {
            return Optional.empty();
        }
        Builder b;
        if (connections.azureOpenAiEndpoint() != null) {
            b = azure(connections.azureOpenAiEndpoint(), connections.azureOpenAiKey(), deployment.orElse(model));
        } else if (connections.openAiApiKey() != null) {
            b = openAi(connections.openAiApiKey());
            if (connections.openAiBaseUrl() != null) {
                b.baseUrl(connections.openAiBaseUrl());
            }
        } else {
            throw missing("Connections.AzureOpenAiEndpoint (env AZURE_OPENAI_ENDPOINT) or Connections.OpenAiApiKey"
                    + " (env OPENAI_API_KEY)");
        }
        b.model(model);
        apiVersion.ifPresent(b::apiVersion);
        maxPrompt.ifPresent(b::maxPromptTokens);
        maxAnswer.ifPresent(b::maxAnswerTokens);
        chunks.ifPresent(b::chunksPerQuestion);
        findings.ifPresent(b::maxFindings);
        encoding.ifPresent(b::tokenEncoding);
        jsonFormat.ifPresent(b::jsonResponseFormat);
        timeoutSeconds.ifPresent(t -> b.timeout(Duration.ofSeconds(t)));
        return Optional.of(b.build());
    }

    public Builder toBuilder() {
        return new Builder(service, apiKey, baseUrl).deployment(deployment).apiVersion(apiVersion).model(model)
                .maxPromptTokens(maxPromptTokens).maxAnswerTokens(maxAnswerTokens).chunksPerQuestion(chunksPerQuestion)
                .maxFindings(maxFindings).tokenEncoding(tokenEncoding).jsonResponseFormat(jsonResponseFormat)
                .timeout(timeout);
    }

    @Override
    public String toString() {
        return "LlmReviewerConfig[service=" + service + ", apiKey=" + Secrets.mask(apiKey) + ", baseUrl=" + Secrets.maskUrl(baseUrl)
                + (service == Service.AZURE_OPENAI ? ", deployment=" + deployment + ", apiVersion=" + apiVersion : "")
                + ", model=" + model + ", maxPromptTokens=" + maxPromptTokens + ", maxAnswerTokens=" + maxAnswerTokens
                + ", chunksPerQuestion=" + chunksPerQuestion + ", maxFindings=" + maxFindings
                + ", tokenEncoding=" + tokenEncoding + ", jsonResponseFormat=" + jsonResponseFormat + ", timeout=" + timeout + "]";
    }

    private static void checkRange(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw outOfRange(key, value, min + ".." + max);
        }
    }

    private static ConfigException missing(String what) {
        return new ConfigException(ConfigException.Reason.OUT_OF_RANGE, what + " is not set; the LLM reviewer needs it");
    }

    private static ConfigException outOfRange(String key, Object value, String allowed) {
        return new ConfigException(ConfigException.Reason.OUT_OF_RANGE,
                SECTION + "." + key + " = " + value + " is out of range; allowed: " + allowed);
    }

    /** Builds an {@link LlmReviewerConfig}; validates at {@link #build()}. */
    public static final class Builder {
        private final Service service;
        private final String apiKey;
        private String baseUrl;
        private String deployment;
        private String apiVersion = DEFAULT_AZURE_API_VERSION;
        private String model = DEFAULT_MODEL;
        private int maxPromptTokens = DEFAULT_MAX_PROMPT_TOKENS;
        private int maxAnswerTokens = DEFAULT_MAX_ANSWER_TOKENS;
        private int chunksPerQuestion = DEFAULT_CHUNKS_PER_QUESTION;
        private int maxFindings = DEFAULT_MAX_FINDINGS;
        private String tokenEncoding = DEFAULT_TOKEN_ENCODING;
        private boolean jsonResponseFormat = DEFAULT_JSON_RESPONSE_FORMAT;
        private Duration timeout = DEFAULT_TIMEOUT;

        private Builder(Service service, String apiKey, String baseUrl) {
            this.service = service;
            this.apiKey = apiKey;
            this.baseUrl = baseUrl;
        }

        public Builder baseUrl(String v) { this.baseUrl = v; return this; }
        public Builder deployment(String v) { this.deployment = v; return this; }
        public Builder apiVersion(String v) { this.apiVersion = v; return this; }
        public Builder model(String v) { this.model = v; return this; }
        public Builder maxPromptTokens(int v) { this.maxPromptTokens = v; return this; }
        public Builder maxAnswerTokens(int v) { this.maxAnswerTokens = v; return this; }
        public Builder chunksPerQuestion(int v) { this.chunksPerQuestion = v; return this; }
        public Builder maxFindings(int v) { this.maxFindings = v; return this; }
        public Builder tokenEncoding(String v) { this.tokenEncoding = v; return this; }
        public Builder jsonResponseFormat(boolean v) { this.jsonResponseFormat = v; return this; }
        public Builder timeout(Duration v) { this.timeout = v; return this; }

        public LlmReviewerConfig build() {
            return new LlmReviewerConfig(service, apiKey, baseUrl, deployment, apiVersion, model, maxPromptTokens,
                    maxAnswerTokens, chunksPerQuestion, maxFindings, tokenEncoding, jsonResponseFormat, timeout);
        }
    }
}
