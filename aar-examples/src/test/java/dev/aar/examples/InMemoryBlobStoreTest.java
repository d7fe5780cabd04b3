package dev.aar.examples;

import dev.aar.storage.BlobStore;
import dev.aar.storage.BlobStoreContract;

class InMemoryBlobStoreTest extends BlobStoreContract {

    @Override
    protected BlobStore createStore() {
        return new InMemoryBlobStore();
    }
}
