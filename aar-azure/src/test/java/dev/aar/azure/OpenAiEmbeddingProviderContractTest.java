package dev.aar.azure;

import dev.aar.embedding.EmbeddingProvider;
import dev.aar.embedding.EmbeddingProviderContract;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/** The OpenAI provider keeps the provider contract, against the local fake of the embeddings endpoint. */
class OpenAiEmbeddingProviderContractTest extends EmbeddingProviderContract {

    private FakeOpenAiServer server;

    @Override
    protected EmbeddingProvider createProvider() throws IOException {
        server = new FakeOpenAiServer();
        return OpenAiEmbeddingProvider.create(OpenAiEmbeddingConfig.openAi("sk-contract-test").baseUrl(server.url("/v1"))
                .timeout(Duration.ofSeconds(10)).build());
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }
}
