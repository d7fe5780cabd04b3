package dev.aar.azure.internal;

import com.openai.azure.AzureOpenAIServiceVersion;
import com.openai.azure.AzureUrlPathMode;
import com.openai.azure.credential.AzureApiKeyCredential;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import dev.aar.azure.OpenAiEmbeddingConfig.Service;
import java.time.Duration;

/** Builds the openai-java clients of the embedding provider and the LLM reviewer the same way. */
public final class OpenAiClients {

    private OpenAiClients() {
    }

    /**
     * Returns a client for {@code service} at {@code baseUrl} without openai-java's own retries: the
     * caller's resilience pipeline retries, and two layers would multiply attempts.
     *
     * @param apiVersion the Azure OpenAI API version; ignored for OpenAI
     */
    public static OpenAIClient create(Service service, String baseUrl, String apiKey, String apiVersion,
            Duration timeout) {
        OpenAIOkHttpClient.Builder builder = OpenAIOkHttpClient.builder()
                .baseUrl(baseUrl)
                .maxRetries(0)
                .timeout(timeout);
        if (service == Service.AZURE_OPENAI) {
            // LEGACY: /openai/deployments/{deployment}/…?api-version=…, whatever the host name (custom
            // domains and proxies included), rather than guessing the shape from the host
            builder.credential(AzureApiKeyCredential.create(apiKey))
                    .azureServiceVersion(AzureOpenAIServiceVersion.fromString(apiVersion))
                    .azureUrlPathMode(AzureUrlPathMode.LEGACY);
        } else {
            builder.apiKey(apiKey);
        }
        return builder.build();
    }
}
