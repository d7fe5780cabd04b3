package dev.aar.core.memory;

import dev.aar.embedding.EmbeddingStore;
import dev.aar.embedding.EmbeddingStoreContract;

class InMemoryEmbeddingStoreTest extends EmbeddingStoreContract {

    @Override
    protected EmbeddingStore createStore() {
        return new InMemoryEmbeddingStore();
    }
}
