package dev.aar.core.memory;

import dev.aar.queue.CheckpointStore;
import dev.aar.queue.CheckpointStoreContract;

class InMemoryCheckpointStoreTest extends CheckpointStoreContract {

    @Override
    protected CheckpointStore createStore() {
        return new InMemoryCheckpointStore();
    }
}
