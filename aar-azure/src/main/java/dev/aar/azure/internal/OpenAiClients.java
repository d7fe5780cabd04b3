package dev.aar.azure.internal;

import com.openai.azure.AzureOpenAIServiceVersion;
import com.openai.azure.AzureUrlPathMode;
import com.openai.azure.credential.AzureApiKeyCredential;
import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientImpl;
import com.openai.core.ClientOptions;
import com.openai.core.Timeout;
import dev.aar.core.error.ConfigException;
import dev.aar.core.config.Secrets;
import java.time.Duration;

/** Checks the connection settings of the embedding provider and the LLM reviewer, and builds their openai-java clients, the same way. */
public final class OpenAiClients {

    private OpenAiClients() {
    }

    /**
     * Returns a client for {@code service} at {@code baseUrl} without openai-java's own retries: the
     * caller's resilience pipeline retries, and two layers would multiply attempts.
     *
     * @param azure Azure OpenAI (deployment URLs, api-key header) rather than OpenAI
     * @param apiVersion the Azure OpenAI API version; ignored for OpenAI
     */
    public static OpenAIClient create(boolean azure, String baseUrl, String apiKey, String apiVersion,
            Duration timeout) {
        ClientOptions.Builder builder = ClientOptions.builder()
                .baseUrl(baseUrl)
                .maxRetries(0)
                .timeout(timeout);
        // openai-java's own OkHttp transport leaves Nagle's algorithm on; see OkHttpTransport
        Timeout timeouts = builder.timeout();
        if (azure) {
            // LEGACY: /openai/deployments/{deployment}/…?api-version=…, whatever the host name (custom
            // domains and proxies included), rather than guessing the shape from the host
            builder.credential(AzureApiKeyCredential.create(apiKey))
                    .azureServiceVersion(AzureOpenAIServiceVersion.fromString(apiVersion))
                    .azureUrlPathMode(AzureUrlPathMode.LEGACY);
        } else {
            builder.apiKey(apiKey);
        }
        return new OpenAIClientImpl(builder.httpClient(new OkHttpTransport(timeouts)).build());
    }

    /**
     * Refuses a missing API key or a base URL that is not http(s), naming the setting to fix; the URL is
     * masked in the message, since it may carry credentials.
     *
     * @param azure Azure OpenAI rather than OpenAI (names the Azure settings)
     * @param user what needs the connection, for the message ("the LLM reviewer")
     */
    public static void checkConnection(boolean azure, String apiKey, String baseUrl, String user) {
        if (apiKey == null || apiKey.isBlank()) {
            throw new ConfigException(ConfigException.Reason.OUT_OF_RANGE, (azure
                    ? "Connections.AzureOpenAiKey (env AZURE_OPENAI_KEY)" : "Connections.OpenAiApiKey (env OPENAI_API_KEY)")
                    + " is not set; " + user + " needs it");
        }
        if (baseUrl == null || !(baseUrl.startsWith("https://") || baseUrl.startsWith("http://"))) {
            throw new ConfigException(ConfigException.Reason.OUT_OF_RANGE, (azure
                    ? "Connections.AzureOpenAiEndpoint (env AZURE_OPENAI_ENDPOINT)" : "Connections.OpenAiBaseUrl (env OPENAI_BASE_URL)")
                    + " = " + Secrets.maskUrl(baseUrl) + " is out of range; allowed: an http:// or https:// URL");
        }
    }
}
