package dev.aar.core.embedding;

import dev.aar.embedding.EmbeddingProvider;
import dev.aar.embedding.EmbeddingProviderContract;

class OfflineEmbeddingProviderContractTest extends EmbeddingProviderContract {

    @Override
    protected EmbeddingProvider createProvider() {
        return OfflineEmbeddingProvider.create();
    }
}
