package dev.aar.azure;

import dev.aar.azure.internal.OpenAiClients;
import dev.aar.core.error.ConfigException;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.Connections;
import dev.aar.core.config.EmbeddingProcessing;
import dev.aar.core.config.Secrets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable settings of an {@link OpenAiEmbeddingProvider}: which service, which model, and its limits.
 *
 * <p>Start from {@link #openAi(String)}, {@link #azure(String, String, String)} or {@link #from(AarConfig)}.
 *
 * @param service OpenAI itself or an Azure OpenAI resource
 * @param apiKey the OpenAI API key or the Azure OpenAI resource key; never printed. {@code null}, with
 *        {@code baseUrl}, for a provider over a client the host built ({@link OpenAiEmbeddingProvider#of})
 * @param baseUrl OpenAI's base URL (with {@code /v1}), or the Azure resource endpoint; {@code null} as {@code apiKey}
 * @param deployment Azure deployment name (the {@code {deployment}} in the URL); ignored for OpenAI
 * @param apiVersion Azure {@code api-version} query parameter; ignored for OpenAI
 * @param model name of the embedding model (for Azure: the model behind the deployment)
 * @param dimensions length of the vectors; below the model's native length it is sent as {@code dimensions}
 * @param encoding how vectors travel on the wire
 * @param costPerMillionTokens price per million input tokens, reported by {@link OpenAiEmbeddingProvider#model()}
 * @param timeout limit of one request, connect to last byte
 * @param maxInputsPerRequest most inputs in one request
 * @param maxTokensPerRequest most tokens in one request, all inputs together
 * @param maxTokensPerInput longest input, in tokens
 */
public record OpenAiEmbeddingConfig(
        Service service,
        String apiKey,
        String baseUrl,
        String deployment,
        String apiVersion,
        String model,
        int dimensions,
        VectorEncoding encoding,
        double costPerMillionTokens,
        Duration timeout,
        int maxInputsPerRequest,
        int maxTokensPerRequest,
        int maxTokensPerInput) {

    /** Where the embeddings come from. */
    public enum Service {
        /** {@code POST {baseUrl}/embeddings} with {@code Authorization: Bearer}. */
        OPENAI,
        /** {@code POST {endpoint}/openai/deployments/{deployment}/embeddings?api-version=…} with {@code api-key}. */
        AZURE_OPENAI
    }

    /** How vectors travel: Base64 of little-endian float32 is about a quarter of the size of JSON floats. */
    public enum VectorEncoding {
        FLOAT,
        BASE64
    }

    public static final String DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1";
    public static final String DEFAULT_AZURE_API_VERSION = "2024-10-21";
    public static final String DEFAULT_MODEL = Connections.DEFAULT_EMBEDDING_MODEL;
    public static final VectorEncoding DEFAULT_ENCODING = VectorEncoding.BASE64;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** OpenAI's documented limits for its embedding models. */
    public static final int DEFAULT_MAX_INPUTS_PER_REQUEST = 2048;
    public static final int DEFAULT_MAX_TOKENS_PER_REQUEST = 300_000;
    public static final int DEFAULT_MAX_TOKENS_PER_INPUT = 8192;

    /** Native vector length of the models whose length is known. */
    static final Map<String, Integer> NATIVE_DIMENSIONS = Map.of(
            "text-embedding-3-small", 1536,
            "text-embedding-3-large", 3072,
            "text-embedding-ada-002", 1536);

    public OpenAiEmbeddingConfig {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(timeout, "timeout");
        if (apiKey != null || baseUrl != null) {
            OpenAiClients.checkConnection(service == Service.AZURE_OPENAI, apiKey, baseUrl, "the OpenAI embedding provider");
        }
        if (model == null || model.isBlank()) {
            throw missing("Connections.EmbeddingModel");
        }
        if (service == Service.AZURE_OPENAI) {
            if (deployment == null || deployment.isBlank()) {
                throw missing("Connections.AzureOpenAiDeployment");
            }
            if (apiVersion == null || !apiVersion.matches("\\d{4}-\\d{2}-\\d{2}(-preview)?")) {
                throw outOfRange("apiVersion", apiVersion, "a date such as " + DEFAULT_AZURE_API_VERSION);
            }
        }
        Integer nativeDimensions = NATIVE_DIMENSIONS.get(model);
        int maxDimensions = nativeDimensions == null ? 65_536 : nativeDimensions;
        if (dimensions < 1 || dimensions > maxDimensions) {
            throw outOfRange("dimensions", dimensions, "1.." + maxDimensions + " for " + model);
        }
        if ("text-embedding-ada-002".equals(model) && dimensions != maxDimensions) {
            throw outOfRange("dimensions", dimensions, "1536 (text-embedding-ada-002 cannot shorten its vectors)");
        }
        if (!(costPerMillionTokens >= 0)) {
            throw outOfRange("costPerMillionTokens", costPerMillionTokens, ">= 0");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw outOfRange("timeout", timeout, "a positive duration");
        }
        checkLimit("maxInputsPerRequest", maxInputsPerRequest);
        checkLimit("maxTokensPerRequest", maxTokensPerRequest);
        checkLimit("maxTokensPerInput", maxTokensPerInput);
    }

    /** Starts an OpenAI configuration with this API key and the defaults. */
    public static Builder openAi(String apiKey) {
        return new Builder(Service.OPENAI, apiKey, DEFAULT_OPENAI_BASE_URL);
    }

    /** Starts an Azure OpenAI configuration for {@code endpoint} (the resource root) and {@code deployment}. */
    public static Builder azure(String endpoint, String apiKey, String deployment) {
        return new Builder(Service.AZURE_OPENAI, apiKey, endpoint).deployment(deployment);
    }

    /**
     * Starts a configuration for a provider over the host's own client ({@link OpenAiEmbeddingProvider#of}):
     * no key and no URL, the client has them; {@code service} decides whether the model or the deployment is sent.
     */
    public static Builder forClient(Service service) {
        return new Builder(Objects.requireNonNull(service, "service"), null, null);
    }

    /**
     * Reads the {@code Connections} and {@code EmbeddingProcessing} sections: Azure OpenAI when
     * {@code AzureOpenAiEndpoint} is set (deployment defaults to the model name), otherwise OpenAI
     * when {@code OpenAiApiKey} is set.
     *
     * @throws ConfigException when neither is configured, or a needed key is missing
     */
    public static OpenAiEmbeddingConfig from(AarConfig config) {
        Connections c = config.connections();
        EmbeddingProcessing p = config.embeddingProcessing();
        Builder builder;
        if (c.azureOpenAiEndpoint() != null) {
            String deployment = c.azureOpenAiDeployment() != null ? c.azureOpenAiDeployment() : c.embeddingModel();
            builder = azure(c.azureOpenAiEndpoint(), c.azureOpenAiKey(), deployment);
        } else if (c.openAiApiKey() != null) {
            builder = openAi(c.openAiApiKey());
            if (c.openAiBaseUrl() != null) {
                builder.baseUrl(c.openAiBaseUrl());
            }
        } else {
            throw missing("Connections.AzureOpenAiEndpoint (env AZURE_OPENAI_ENDPOINT) or Connections.OpenAiApiKey"
                    + " (env OPENAI_API_KEY)");
        }
        return builder.model(c.embeddingModel()).costPerMillionTokens(p.costPerMillionTokens()).build();
    }

    /** Returns whether {@link #dimensions()} must be sent because it shortens the model's native vectors. */
    public boolean shortensVectors() {
        Integer nativeDimensions = NATIVE_DIMENSIONS.get(model);
        return nativeDimensions != null && dimensions < nativeDimensions;
    }

    public Builder toBuilder() {
        return new Builder(service, apiKey, baseUrl).deployment(deployment).apiVersion(apiVersion).model(model)
                .dimensions(dimensions).encoding(encoding).costPerMillionTokens(costPerMillionTokens).timeout(timeout)
                .maxInputsPerRequest(maxInputsPerRequest).maxTokensPerRequest(maxTokensPerRequest)
                .maxTokensPerInput(maxTokensPerInput);
    }

    @Override
    public String toString() {
        return "OpenAiEmbeddingConfig[service=" + service + ", apiKey=" + Secrets.mask(apiKey) + ", baseUrl=" + Secrets.maskUrl(baseUrl)
                + (service == Service.AZURE_OPENAI ? ", deployment=" + deployment + ", apiVersion=" + apiVersion : "")
                + ", model=" + model + ", dimensions=" + dimensions + ", encoding=" + encoding
                + ", costPerMillionTokens=" + costPerMillionTokens + ", timeout=" + timeout + "]";
    }

    private static void checkLimit(String name, int value) {
        if (value < 1) {
            throw outOfRange(name, value, ">= 1");
        }
    }

    private static ConfigException missing(String what) {
        return new ConfigException(ConfigException.Reason.OUT_OF_RANGE,
                what + " is not set; the OpenAI embedding provider needs it");
    }

    private static ConfigException outOfRange(String name, Object value, String allowed) {
        return new ConfigException(ConfigException.Reason.OUT_OF_RANGE,
                "OpenAiEmbeddingConfig." + name + " = " + value + " is out of range; allowed: " + allowed);
    }

    /** Builds an {@link OpenAiEmbeddingConfig}; validates at {@link #build()}. */
    public static final class Builder {
        private final Service service;
        private final String apiKey;
        private String baseUrl;
        private String deployment;
        private String apiVersion = DEFAULT_AZURE_API_VERSION;
        private String model = DEFAULT_MODEL;
        private Integer dimensions;
        private VectorEncoding encoding = DEFAULT_ENCODING;
        private double costPerMillionTokens = EmbeddingProcessing.DEFAULT_COST_PER_MILLION_TOKENS;
        private Duration timeout = DEFAULT_TIMEOUT;
        private int maxInputsPerRequest = DEFAULT_MAX_INPUTS_PER_REQUEST;
        private int maxTokensPerRequest = DEFAULT_MAX_TOKENS_PER_REQUEST;
        private int maxTokensPerInput = DEFAULT_MAX_TOKENS_PER_INPUT;

        private Builder(Service service, String apiKey, String baseUrl) {
            this.service = service;
            this.apiKey = apiKey;
            this.baseUrl = baseUrl;
        }

        public Builder baseUrl(String v) { this.baseUrl = v; return this; }
        public Builder deployment(String v) { this.deployment = v; return this; }
        public Builder apiVersion(String v) { this.apiVersion = v; return this; }
        public Builder model(String v) { this.model = v; return this; }
        /** Vector length; defaults to the model's native length (1536 for unknown models). */
        public Builder dimensions(int v) { this.dimensions = v; return this; }
        public Builder encoding(VectorEncoding v) { this.encoding = v; return this; }
        public Builder costPerMillionTokens(double v) { this.costPerMillionTokens = v; return this; }
        public Builder timeout(Duration v) { this.timeout = v; return this; }
        public Builder maxInputsPerRequest(int v) { this.maxInputsPerRequest = v; return this; }
        public Builder maxTokensPerRequest(int v) { this.maxTokensPerRequest = v; return this; }
        public Builder maxTokensPerInput(int v) { this.maxTokensPerInput = v; return this; }

        public OpenAiEmbeddingConfig build() {
            int dims = dimensions != null ? dimensions : NATIVE_DIMENSIONS.getOrDefault(model, 1536);
            return new OpenAiEmbeddingConfig(service, apiKey, baseUrl, deployment, apiVersion, model, dims, encoding,
                    costPerMillionTokens, timeout, maxInputsPerRequest, maxTokensPerRequest, maxTokensPerInput);
        }
    }
}
