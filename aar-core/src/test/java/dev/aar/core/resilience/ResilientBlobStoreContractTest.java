package dev.aar.core.resilience;

import dev.aar.core.storage.FileSystemBlobStore;
import dev.aar.storage.BlobStore;
import dev.aar.storage.BlobStoreContract;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The BlobStoragePipeline the builder puts around every blob store keeps the blob store contract. */
class ResilientBlobStoreContractTest extends BlobStoreContract {

    @TempDir
    Path dir;

    @Override
    protected BlobStore createStore() {
        return ResilientBlobStore.wrap(FileSystemBlobStore.open(dir.resolve("store")), new SimpleMeterRegistry());
    }
}
