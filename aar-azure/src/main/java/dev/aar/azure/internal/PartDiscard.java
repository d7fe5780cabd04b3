package dev.aar.azure.internal;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.Block;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.models.BlockList;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import dev.aar.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Discards the staged parts of one upload from a block blob without changing what readers see.
 *
 * <p>Azure cannot delete an uncommitted block, but every Put Block List drops the blob's uncommitted
 * blocks it does not name. So the blob's current content is committed again: its committed block
 * list as it is, or, when that list does not make up the blob (a blob written with one Put Blob, or
 * a committed id that an uncommitted block shadows), a copy of its bytes in fresh blocks. Every such
 * commit carries {@code If-Match} with the ETag read first, so a concurrent writer is never
 * overwritten; its own commit has discarded the parts anyway. A missing blob is committed as an empty
 * placeholder (marked by {@link #PLACEHOLDER_METADATA}) with {@code If-None-Match: *} and deleted again
 * with {@code If-Match}; a placeholder left behind by a failed delete is removed by the next abort.
 */
public final class PartDiscard {

    /** Metadata that marks the empty blob an abort commits only to delete it again. */
    public static final String PLACEHOLDER_METADATA = "aarabortplaceholder";

    /** Rounds of "read, then commit conditionally" before giving up on a blob that keeps changing. */
    static final int MAX_ATTEMPTS = 3;

    private final BlockBlobClient blob;
    private final BlockIds.Parts parts;
    private final int blockSize;
    private final int maxBlocks;
    private final String what;

    private PartDiscard(BlockBlobClient blob, String uploadId, int blockSize, int maxBlocks, String what) {
        this.blob = blob;
        this.parts = BlockIds.partsOf(uploadId);
        this.blockSize = blockSize;
        this.maxBlocks = maxBlocks;
        this.what = what;
    }

    /**
     * Discards every uncommitted block of {@code uploadId} on {@code blob}; a copy, if one is needed,
     * moves {@code blockSize} bytes per request and at most {@code maxBlocks} blocks.
     *
     * @param what what is being done, for the error message
     */
    public static void discard(BlockBlobClient blob, String uploadId, int blockSize, int maxBlocks, String what) {
        new PartDiscard(blob, uploadId, blockSize, maxBlocks, what).run();
    }

    private void run() {
        try {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                // properties first: a block list read after them is at least as new as their ETag
                Optional<BlobProperties> properties = properties();
                BlockList blocks = BlockLists.of(blob);
                boolean placeholder = properties.filter(PartDiscard::isPlaceholder).isPresent();
                if (BlockLists.uncommitted(blocks).stream().map(Block::getName).noneMatch(parts::contains)) {
                    if (placeholder) {
                        // left by an abort whose delete failed or never ran: finish that abort's work
                        deleteIfUnchanged(properties.get().getETag());
                    }
                    return;
                }
                boolean done;
                if (properties.isEmpty()) {
                    done = commitPlaceholderThenDelete(new BlobRequestConditions().setIfNoneMatch("*"));
                } else if (placeholder) {
                    done = commitPlaceholderThenDelete(new BlobRequestConditions().setIfMatch(properties.get().getETag()));
                } else {
                    done = recommit(properties.get(), blocks);
                }
                if (done) {
                    return;
                }
            }
        } catch (UncheckedIOException e) {
            throw e;
        } catch (RuntimeException e) {
            throw BlobErrors.failure(what, e);
        }
        throw BlobErrors.failure(what + ": the blob changed " + MAX_ATTEMPTS + " times while the parts were being"
                + " discarded, without a commit that discarded them; try again");
    }

    /** Commits the blob's own content again; false if the blob changed since {@code p} was read. */
    private boolean recommit(BlobProperties p, BlockList blocks) {
        BlobRequestConditions unchanged = new BlobRequestConditions().setIfMatch(p.getETag());
        List<Block> committed = BlockLists.committed(blocks);
        long covered = committed.stream().mapToLong(Block::getSizeLong).sum();
        Set<String> uncommittedIds = new HashSet<>();
        BlockLists.uncommitted(blocks).forEach(b -> uncommittedIds.add(b.getName()));
        // the SDK commits ids as "Latest", which prefers an uncommitted block of the same id: such an
        // id cannot be named, or the commit would publish the staged bytes instead of the blob's own
        boolean listIsTheBlob = covered == p.getBlobSize()
                && committed.stream().noneMatch(b -> uncommittedIds.contains(b.getName()));
        try {
            List<String> ids = listIsTheBlob ? committed.stream().map(Block::getName).toList() : copyIntoNewBlocks(p,
                    unchanged);
            blob.commitBlockListWithResponse(options(ids, p).setRequestConditions(unchanged), null, Context.NONE);
            return true;
        } catch (BlobStorageException e) {
            if (isConditionFailure(e)) {
                return false;
            }
            throw e;
        }
    }

    /** Stages the blob's bytes, read pinned to its ETag, as fresh blocks and returns their ids in order. */
    private List<String> copyIntoNewBlocks(BlobProperties p, BlobRequestConditions unchanged) {
        if (p.getBlobSize() > (long) blockSize * maxBlocks) {
            throw BlobErrors.failure(what + ": the blob was not written as a block list, and copying its "
                    + p.getBlobSize() + " bytes would need more than " + maxBlocks + " blocks of " + blockSize
                    + " bytes; raise AzureBlobStoreConfig.blockSizeBytes");
        }
        String scope = BlockIds.newPutScope();
        List<String> ids = new ArrayList<>();
        try (InputStream in = blob.openInputStream(new BlobInputStreamOptions().setBlockSize(blockSize)
                .setRequestConditions(unchanged), Context.NONE)) {
            BlockReader reader = new BlockReader(in, blockSize);
            for (byte[] block = reader.next(); block.length > 0; block = reader.next()) {
                String id = BlockIds.putBlock(scope, ids.size());
                blob.stageBlockWithResponse(new BlockBlobStageBlockOptions(id, BinaryData.fromBytes(block))
                        .setContentMd5(Md5.of(block)), null, Context.NONE);
                ids.add(id);
            }
        } catch (IOException e) {
            if (e.getCause() instanceof BlobStorageException bse) {
                throw bse; // 412 when the blob changed mid-copy: the caller starts a new round
            }
            throw BlobStore.failure(what + ": copying the blob into new blocks failed", e);
        }
        return ids;
    }

    /**
     * Commits an empty placeholder blob (where there was none, or over an earlier placeholder), then
     * deletes exactly that blob; false if another writer's blob got there first.
     */
    private boolean commitPlaceholderThenDelete(BlobRequestConditions condition) {
        BlockBlobItem empty;
        try {
            empty = blob.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(List.of())
                    .setMetadata(Map.of(PLACEHOLDER_METADATA, "true")).setRequestConditions(condition), null,
                    Context.NONE).getValue();
        } catch (BlobStorageException e) {
            if (isConditionFailure(e)) {
                return false; // another writer committed first, and that commit discarded the parts
            }
            throw e;
        }
        deleteIfUnchanged(empty.getETag());
        return true;
    }

    private void deleteIfUnchanged(String etag) {
        try {
            blob.deleteWithResponse(null, new BlobRequestConditions().setIfMatch(etag), null, Context.NONE);
        } catch (BlobStorageException e) {
            // 412: another writer replaced the placeholder already; 404: someone deleted it. Either way
            // the blob is no longer the placeholder and not ours to touch.
            if (!isConditionFailure(e) && !BlobErrors.isNotFound(e)) {
                throw e;
            }
        }
    }

    private static boolean isPlaceholder(BlobProperties p) {
        return p.getBlobSize() == 0 && p.getMetadata() != null
                && p.getMetadata().keySet().stream().anyMatch(PLACEHOLDER_METADATA::equalsIgnoreCase);
    }

    private BlockBlobCommitBlockListOptions options(List<String> ids, BlobProperties p) {
        BlockBlobCommitBlockListOptions options = new BlockBlobCommitBlockListOptions(ids)
                .setHeaders(new BlobHttpHeaders()
                        .setContentType(p.getContentType())
                        .setContentEncoding(p.getContentEncoding())
                        .setContentLanguage(p.getContentLanguage())
                        .setContentDisposition(p.getContentDisposition())
                        .setCacheControl(p.getCacheControl())
                        .setContentMd5(p.getContentMd5()))
                .setMetadata(p.getMetadata());
        if (p.getAccessTier() != null && !Boolean.TRUE.equals(p.isAccessTierInferred())) {
            options.setTier(p.getAccessTier());
        }
        return options;
    }

    private Optional<BlobProperties> properties() {
        try {
            return Optional.of(blob.getProperties());
        } catch (BlobStorageException e) {
            if (BlobErrors.isNotFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Whether a conditional request failed because the blob changed (not, say, because of a lease). */
    private static boolean isConditionFailure(BlobStorageException e) {
        BlobErrorCode code = e.getErrorCode();
        if (code == null) {
            return e.getStatusCode() == 412 || e.getStatusCode() == 409;
        }
        return BlobErrorCode.CONDITION_NOT_MET.equals(code) || BlobErrorCode.BLOB_ALREADY_EXISTS.equals(code);
    }
}
