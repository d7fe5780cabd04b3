package dev.aar.azure.internal;

import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.Block;
import com.azure.storage.blob.models.BlockList;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.specialized.BlockBlobClient;
import java.util.List;

/** Reads a block blob's block lists, with a missing blob and an absent list both read as empty. */
public final class BlockLists {

    private BlockLists() {
    }

    /** Returns the blob's committed and uncommitted blocks; both empty if the blob or container is missing. */
    public static BlockList of(BlockBlobClient blob) {
        try {
            return blob.listBlocks(BlockListType.ALL);
        } catch (BlobStorageException e) {
            if (!BlobErrors.isNotFound(e)) {
                throw e;
            }
        }
        return new BlockList().setCommittedBlocks(List.of()).setUncommittedBlocks(List.of());
    }

    /** Returns the committed blocks of {@code blocks}, empty if the service sent no list. */
    public static List<Block> committed(BlockList blocks) {
        return blocks.getCommittedBlocks() == null ? List.of() : blocks.getCommittedBlocks();
    }

    /** Returns the uncommitted blocks of {@code blocks}, empty if the service sent no list. */
    public static List<Block> uncommitted(BlockList blocks) {
        return blocks.getUncommittedBlocks() == null ? List.of() : blocks.getUncommittedBlocks();
    }
}
