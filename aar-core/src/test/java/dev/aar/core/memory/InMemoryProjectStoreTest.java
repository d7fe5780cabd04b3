package dev.aar.core.memory;

import dev.aar.core.project.ProjectStore;
import dev.aar.core.project.ProjectStoreContract;

class InMemoryProjectStoreTest extends ProjectStoreContract {

    @Override
    protected ProjectStore createStore() {
        return new InMemoryProjectStore();
    }
}
