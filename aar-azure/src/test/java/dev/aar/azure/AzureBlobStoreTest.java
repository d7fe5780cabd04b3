package dev.aar.azure;

import com.azure.storage.blob.BlobContainerClient;
import dev.aar.core.testing.RequiredService;
import dev.aar.storage.BlobStore;
import dev.aar.storage.BlobStoreContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link AzureBlobStore} against Azurite passes the {@link BlobStoreContract} kit, each test in a
 * container of its own; what only Azure has is in {@link AzureBlobStoreAzureTest}.
 */
class AzureBlobStoreTest extends BlobStoreContract {

    private BlobContainerClient container;

    @BeforeAll
    static void requireAzurite() {
        RequiredService.requireAzurite();
    }

    @Override
    protected BlobStore createStore() {
        String name = Azurite.newContainerName();
        container = Azurite.rawClient(name);
        // the default 4 MiB block keeps the kit's 256 KiB and 512 KiB blobs to one request each, as
        // they would be in production; AzureBlobStoreAzureTest covers many small blocks
        return AzureBlobStore.create(AzureBlobStoreConfig.builder(Azurite.CONNECTION_STRING).container(name)
                .tryTimeout(Duration.ofSeconds(30)).build());
    }

    @AfterEach
    void dropContainer() {
        if (container != null) {
            container.deleteIfExists();
        }
    }
}
