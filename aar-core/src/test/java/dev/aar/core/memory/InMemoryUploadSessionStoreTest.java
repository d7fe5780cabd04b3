package dev.aar.core.memory;

import dev.aar.storage.UploadSessionStore;
import dev.aar.storage.UploadSessionStoreContract;

class InMemoryUploadSessionStoreTest extends UploadSessionStoreContract {

    @Override
    protected UploadSessionStore createStore() {
        return new InMemoryUploadSessionStore();
    }
}
