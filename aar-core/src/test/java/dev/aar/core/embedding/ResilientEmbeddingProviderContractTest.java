package dev.aar.core.embedding;

import dev.aar.embedding.EmbeddingProvider;
import dev.aar.embedding.EmbeddingProviderContract;

/** The decorator the builder puts around every provider keeps the provider contract. */
class ResilientEmbeddingProviderContractTest extends EmbeddingProviderContract {

    @Override
    protected EmbeddingProvider createProvider() {
        return ResilientEmbeddingProvider.builder(OfflineEmbeddingProvider.create()).build();
    }
}
