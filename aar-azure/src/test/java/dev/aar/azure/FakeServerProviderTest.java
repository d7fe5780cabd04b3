package dev.aar.azure;

import dev.aar.azure.OpenAiEmbeddingConfig.VectorEncoding;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh {@link FakeOpenAiServer} for each test, and the provider under test, closed after it. */
abstract class FakeServerProviderTest {

    static final String KEY = "sk-test-0123456789abcdef";

    FakeOpenAiServer server;
    OpenAiEmbeddingProvider provider;

    @BeforeEach
    void start() throws IOException {
        server = new FakeOpenAiServer();
    }

    @AfterEach
    void stop() {
        if (provider != null) {
            provider.close();
        }
        server.close();
    }

    /** An OpenAI provider against the server, with {@code encoding} and {@code timeout}. */
    OpenAiEmbeddingProvider openAi(VectorEncoding encoding, Duration timeout) {
        provider = OpenAiEmbeddingProvider.create(OpenAiEmbeddingConfig.openAi(KEY).baseUrl(server.url("/v1"))
                .encoding(encoding).timeout(timeout).build());
        return provider;
    }
}
