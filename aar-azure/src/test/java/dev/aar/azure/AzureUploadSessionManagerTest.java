package dev.aar.azure;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.Block;
import com.azure.storage.blob.models.BlockListType;
import dev.aar.azure.internal.BlockIds;
import dev.aar.core.testing.RequiredService;
import dev.aar.core.upload.UploadSessionManagerContract;
import dev.aar.storage.BlobStore;
import dev.aar.storage.UploadSession;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The upload session manager's end-to-end kit on {@link AzureBlobStore} against Azurite: parts are
 * staged blocks, finalize is one Put Block List, cancel and the sweeper discard the blocks. Each test
 * uses a container of its own.
 */
class AzureUploadSessionManagerTest extends UploadSessionManagerContract {

    private BlobContainerClient container;

    @BeforeAll
    static void requireAzurite() {
        RequiredService.requireAzurite();
    }

    @Override
    protected BlobStore createBlobStore() {
        String name = Azurite.newContainerName();
        container = Azurite.rawClient(name);
        return decorate(AzureBlobStore.create(AzureBlobStoreConfig.builder(Azurite.CONNECTION_STRING).container(name)
                .tryTimeout(Duration.ofSeconds(30)).build()));
    }

    /** What sits between the manager and the Azure store; nothing here. */
    BlobStore decorate(AzureBlobStore azure) {
        return azure;
    }

    /** The upload's uncommitted blocks of the session's blob, read behind the store's back. */
    @Override
    protected List<Integer> stagedParts(UploadSession s) {
        List<Block> blocks;
        try {
            blocks = container.getBlobClient(s.storageKey()).getBlockBlobClient().listBlocks(BlockListType.UNCOMMITTED)
                    .getUncommittedBlocks();
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                return List.of(); // no blob and no staged block, or no container yet
            }
            throw e;
        }
        return blocks.stream().map(Block::getName).filter(id -> BlockIds.isPartOf(id, s.id()))
                .map(AzureUploadSessionManagerTest::partNumber).sorted().toList();
    }

    /** A part's block id ends in its part number, ten digits. */
    private static int partNumber(String blockId) {
        String raw = new String(Base64.getDecoder().decode(blockId), StandardCharsets.US_ASCII);
        return Integer.parseInt(raw.substring(raw.length() - 10));
    }

    @AfterEach
    void dropContainer() {
        if (container != null) {
            container.deleteIfExists();
        }
    }
}
