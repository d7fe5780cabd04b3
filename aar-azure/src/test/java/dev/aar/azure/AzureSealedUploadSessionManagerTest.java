package dev.aar.azure;

import dev.aar.core.storage.PolicyBlobStore;
import dev.aar.storage.BlobStore;
import java.util.Arrays;

/**
 * The same kit with the storage policy (AES-256-GCM and compression) over Azure, as a deployment
 * with {@code StoragePolicy} on would run it: its manifest is one more staged part of every upload.
 */
class AzureSealedUploadSessionManagerTest extends AzureUploadSessionManagerTest {

    @Override
    BlobStore decorate(AzureBlobStore azure) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 7);
        return PolicyBlobStore.builder(azure).encryptionKey(key).compression(true).segmentSize(1024).build();
    }
}
