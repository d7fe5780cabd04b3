package dev.aar.core.storage;

import dev.aar.storage.BlobStore;
import dev.aar.storage.BlobStoreContract;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.io.TempDir;

/** The storage policy the builder puts around every blob store keeps the blob store contract (sizes are sealed sizes). */
class PolicyBlobStoreContractTest extends BlobStoreContract {

    @TempDir
    Path dir;

    @Override
    protected BlobStore createStore() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return PolicyBlobStore.builder(FileSystemBlobStore.open(dir.resolve("store"))).encryptionKey(key).compression(true)
                .build();
    }

    @Override
    protected boolean reportsSizesAsGiven() {
        return false;
    }
}
