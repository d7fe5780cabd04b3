package dev.aar.core.config;

/**
 * The {@code Connections} section: where the scale-out backends are. Every field is optional;
 * an unset one means "use the embedded default". Secrets never appear in {@link #toString()}.
 *
 * @param databaseUrl JDBC URL of PostgreSQL or SQLite ({@code DatabaseUrl}, env {@code AAR_DATABASE_URL})
 * @param azureStorageConnectionString Azure Blob Storage ({@code AzureStorageConnectionString}, env {@code AZURE_STORAGE_CONNECTION_STRING})
 * @param azureStorageContainer blob container name ({@code AzureStorageContainer})
 * @param azureOpenAiEndpoint Azure OpenAI endpoint ({@code AzureOpenAiEndpoint}, env {@code AZURE_OPENAI_ENDPOINT})
 * @param azureOpenAiKey Azure OpenAI key ({@code AzureOpenAiKey}, env {@code AZURE_OPENAI_KEY})
 * @param azureOpenAiDeployment Azure OpenAI embedding deployment name ({@code AzureOpenAiDeployment})
 * @param openAiApiKey OpenAI key ({@code OpenAiApiKey}, env {@code OPENAI_API_KEY})
 * @param openAiBaseUrl OpenAI-compatible base URL ({@code OpenAiBaseUrl}, env {@code OPENAI_BASE_URL})
 * @param embeddingModel embedding model name for OpenAI ({@code EmbeddingModel})
 */
public record Connections(
        String databaseUrl,
        String azureStorageConnectionString,
        String azureStorageContainer,
        String azureOpenAiEndpoint,
        String azureOpenAiKey,
        String azureOpenAiDeployment,
        String openAiApiKey,
        String openAiBaseUrl,
        String embeddingModel) {

    public static final String SECTION = "Connections";
    public static final String DEFAULT_AZURE_STORAGE_CONTAINER = "aar";
    public static final String DEFAULT_EMBEDDING_MODEL = "text-embedding-3-small";

    public Connections {
        if (azureStorageContainer == null) {
            azureStorageContainer = DEFAULT_AZURE_STORAGE_CONTAINER;
        }
        if (embeddingModel == null) {
            embeddingModel = DEFAULT_EMBEDDING_MODEL;
        }
        if (databaseUrl != null && !databaseUrl.startsWith("jdbc:")) {
            // the URL may carry a password: name it masked
            throw Check.outOfRange(SECTION + ".DatabaseUrl", Secrets.maskUrl(databaseUrl),
                    "a JDBC URL starting with jdbc: (jdbc:postgresql://... or jdbc:sqlite:...)");
        }
        checkUrl(SECTION + ".AzureOpenAiEndpoint", azureOpenAiEndpoint);
        checkUrl(SECTION + ".OpenAiBaseUrl", openAiBaseUrl);
        if (!azureStorageContainer.matches("[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]")) {
            throw Check.outOfRange(SECTION + ".AzureStorageContainer", azureStorageContainer,
                    "3-63 lowercase letters, digits and single hyphens");
        }
    }

    private static void checkUrl(String key, String url) {
        if (url != null && !(url.startsWith("https://") || url.startsWith("http://"))) {
            throw Check.outOfRange(key, Secrets.maskUrl(url), "an http:// or https:// URL");
        }
    }

    /** Endpoints are not secret, but a pasted URL may carry a key in its user info or query. */
    private static String masked(String url) {
        return url == null ? null : Secrets.maskUrl(url);
    }

    /** Returns a section with nothing set. */
    public static Connections none() {
        return builder().build();
    }

    @Override
    public String toString() {
        return "Connections[databaseUrl=" + Secrets.maskUrl(databaseUrl)
                + ", azureStorageConnectionString=" + Secrets.mask(azureStorageConnectionString)
                + ", azureStorageContainer=" + azureStorageContainer
                + ", azureOpenAiEndpoint=" + masked(azureOpenAiEndpoint)
                + ", azureOpenAiKey=" + Secrets.mask(azureOpenAiKey)
                + ", azureOpenAiDeployment=" + azureOpenAiDeployment
                + ", openAiApiKey=" + Secrets.mask(openAiApiKey)
                + ", openAiBaseUrl=" + masked(openAiBaseUrl)
                + ", embeddingModel=" + embeddingModel + "]";
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().databaseUrl(databaseUrl).azureStorageConnectionString(azureStorageConnectionString)
                .azureStorageContainer(azureStorageContainer).azureOpenAiEndpoint(azureOpenAiEndpoint)
                .azureOpenAiKey(azureOpenAiKey).azureOpenAiDeployment(azureOpenAiDeployment)
                .openAiApiKey(openAiApiKey).openAiBaseUrl(openAiBaseUrl).embeddingModel(embeddingModel);
    }

    /** Builds {@link Connections}; validates at {@link #build()}. */
    public static final class Builder {
        private String databaseUrl;
        private String azureStorageConnectionString;
        private String azureStorageContainer;
        private String azureOpenAiEndpoint;
        private String azureOpenAiKey;
        private String azureOpenAiDeployment;
        private String openAiApiKey;
        private String openAiBaseUrl;
        private String embeddingModel;

        private Builder() {
        }

        public Builder databaseUrl(String v) { this.databaseUrl = v; return this; }
        public Builder azureStorageConnectionString(String v) { this.azureStorageConnectionString = v; return this; }
        public Builder azureStorageContainer(String v) { this.azureStorageContainer = v; return this; }
        public Builder azureOpenAiEndpoint(String v) { this.azureOpenAiEndpoint = v; return this; }
        public Builder azureOpenAiKey(String v) { this.azureOpenAiKey = v; return this; }
        public Builder azureOpenAiDeployment(String v) { this.azureOpenAiDeployment = v; return this; }
        public Builder openAiApiKey(String v) { this.openAiApiKey = v; return this; }
        public Builder openAiBaseUrl(String v) { this.openAiBaseUrl = v; return this; }
        public Builder embeddingModel(String v) { this.embeddingModel = v; return this; }

        public Connections build() {
            return new Connections(databaseUrl, azureStorageConnectionString, azureStorageContainer,
                    azureOpenAiEndpoint, azureOpenAiKey, azureOpenAiDeployment, openAiApiKey, openAiBaseUrl,
                    embeddingModel);
        }
    }
}
