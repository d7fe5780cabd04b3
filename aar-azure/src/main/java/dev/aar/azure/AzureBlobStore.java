package dev.aar.azure;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.Block;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.models.BlockList;
import com.azure.storage.blob.models.ConsistentReadControl;
import com.azure.storage.blob.models.DeleteSnapshotsOptionType;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import dev.aar.azure.internal.BlobErrors;
import dev.aar.azure.internal.BlockIds;
import dev.aar.azure.internal.BlockLists;
import dev.aar.azure.internal.BlockReader;
import dev.aar.azure.internal.Md5;
import dev.aar.azure.internal.PartDiscard;
import dev.aar.azure.internal.SpooledPart;
import dev.aar.core.error.ConfigException;
import dev.aar.core.config.AarConfig;
import dev.aar.storage.BlobInfo;
import dev.aar.storage.BlobKey;
import dev.aar.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A {@link BlobStore} on Azure Blob Storage: keys are block blobs in one container, upload parts are
 * uncommitted blocks, and committing parts is one Put Block List.
 *
 * <p>{@link #put} reads the stream one block at a time ({@link AzureBlobStoreConfig#blockSizeBytes()}),
 * stages each block with its MD5, and commits the block list only after the stream ended cleanly;
 * a stream that fails part-way leaves only uncommitted blocks, which readers never see and Azure
 * deletes after seven days. Each part is one block (up to 4000 MiB), so a part larger than the put
 * block size still stages in one request. Azure has no operation that deletes uncommitted blocks, so
 * {@link #abortParts} discards them the one way it can: by committing the blob's own content again,
 * conditional on its ETag.
 *
 * <p>The Azure SDK's own retries are switched off (one try per request, bounded by
 * {@link AzureBlobStoreConfig#tryTimeout()}): the SDK's resilience pipeline wraps every store and
 * retries whole operations, and two retry layers would multiply attempts.
 *
 * <p>One writer per key at a time: Azure discards a blob's uncommitted blocks whenever a block list
 * is committed to it, so two writers racing on one key make the later commit fail (clearly, with
 * nothing half-written) rather than mix their bytes. Instances are safe for concurrent use.
 */
public final class AzureBlobStore implements BlobStore {

    private final BlobContainerClient container;
    private final AzureBlobStoreConfig config;
    private volatile boolean containerReady;

    private AzureBlobStore(BlobContainerClient container, AzureBlobStoreConfig config) {
        this.container = container;
        this.config = config;
    }

    /** Opens a store for the {@code Connections} section of {@code config}. */
    public static AzureBlobStore fromConfig(AarConfig config) {
        return create(AzureBlobStoreConfig.from(config));
    }

    /** Opens a store with these settings; the container is created on first write. */
    public static AzureBlobStore create(AzureBlobStoreConfig config) {
        Objects.requireNonNull(config, "config");
        if (config.connectionString() == null) {
            throw AzureBlobStoreConfig.connectionStringNotSet();
        }
        BlobContainerClient client;
        try {
            client = new BlobContainerClientBuilder()
                    .connectionString(config.connectionString())
                    .containerName(config.container())
                    .retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, 1, config.tryTimeout(), null, null,
                            null))
                    .buildClient();
        } catch (IllegalArgumentException | IllegalStateException e) {
            // the SDK's message may quote the connection string, so it is not passed on
            throw new ConfigException(ConfigException.Reason.MALFORMED,
                    "Connections.AzureStorageConnectionString (env AZURE_STORAGE_CONNECTION_STRING) is not a valid"
                            + " Azure Storage connection string");
        }
        return new AzureBlobStore(client, config);
    }

    /**
     * Uses a container client the host built itself (managed identity, custom HTTP client, ...);
     * the host is then responsible for switching off the client's retries. {@code config}'s connection
     * string is not used and may be {@code null}.
     */
    public static AzureBlobStore of(BlobContainerClient container, AzureBlobStoreConfig config) {
        return new AzureBlobStore(Objects.requireNonNull(container, "container"), Objects.requireNonNull(config, "config"));
    }

    @Override
    public long put(String key, InputStream data) {
        BlockBlobClient blob = blockBlob(key);
        Objects.requireNonNull(data, "data");
        String what = "cannot store blob " + key;
        BlockReader blocks = new BlockReader(data, config.blockSizeBytes());
        byte[] block = read(blocks::next, what);
        ensureContainer();
        if (read(blocks::atEnd, what)) {
            // the whole blob fits one block: a single Put Blob, atomic on its own
            byte[] only = block;
            call(what, () -> blob.uploadWithResponse(new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(only))
                    .setContentMd5(Md5.of(only)), null, Context.NONE));
            return only.length;
        }
        String scope = BlockIds.newPutScope();
        List<String> blockIds = new ArrayList<>();
        long total = 0;
        while (block.length > 0) {
            if (blockIds.size() == AzureBlobStoreConfig.MAX_BLOCKS_PER_BLOB) {
                throw BlobErrors.failure(what + ": it needs more than " + AzureBlobStoreConfig.MAX_BLOCKS_PER_BLOB
                        + " blocks of " + config.blockSizeBytes() + " bytes; raise AzureBlobStoreConfig.blockSizeBytes");
            }
            String id = BlockIds.putBlock(scope, blockIds.size());
            byte[] bytes = block;
            call(what, () -> blob.stageBlockWithResponse(new BlockBlobStageBlockOptions(id, BinaryData.fromBytes(bytes))
                    .setContentMd5(Md5.of(bytes)), null, Context.NONE));
            blockIds.add(id);
            total += bytes.length;
            block = read(blocks::next, what);
        }
        // only now, with the stream ended cleanly, do the blocks become the blob
        call(what, () -> blob.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(blockIds), null,
                Context.NONE));
        return total;
    }

    @Override
    public Optional<InputStream> get(String key) {
        BlockBlobClient blob = blockBlob(key);
        try {
            return Optional.of(blob.openInputStream(new BlobInputStreamOptions()
                    .setBlockSize(config.blockSizeBytes())
                    // a blob replaced while it is read fails the read instead of mixing old and new bytes
                    .setConsistentReadControl(ConsistentReadControl.ETAG), Context.NONE));
        } catch (BlobStorageException e) {
            if (BlobErrors.isNotFound(e)) {
                return Optional.empty();
            }
            throw BlobErrors.failure("cannot read blob " + key, e);
        } catch (RuntimeException e) {
            throw BlobErrors.failure("cannot read blob " + key, e);
        }
    }

    /** Reads the range with ranged downloads ({@code Range} GETs of at most a block each), nothing before it. */
    @Override
    public Optional<InputStream> get(String key, long offset, long length) {
        dev.aar.storage.BlobRange.check(offset, length);
        BlockBlobClient blob = blockBlob(key);
        if (length == 0) {
            return stat(key).map(info -> InputStream.nullInputStream());
        }
        // a count reaching past the end (or past Long.MAX_VALUE) reads to the end
        Long count = offset > Long.MAX_VALUE - length ? null : length;
        try {
            return Optional.of(blob.openInputStream(new BlobInputStreamOptions()
                    .setRange(new com.azure.storage.blob.models.BlobRange(offset, count))
                    .setBlockSize(config.blockSizeBytes())
                    .setConsistentReadControl(ConsistentReadControl.ETAG), Context.NONE));
        } catch (BlobStorageException e) {
            if (BlobErrors.isNotFound(e)) {
                return Optional.empty();
            }
            if (e.getStatusCode() == 416) {
                return Optional.of(InputStream.nullInputStream()); // the blob is there; the range starts at or past its end
            }
            throw BlobErrors.failure("cannot read blob " + key, e);
        } catch (RuntimeException e) {
            throw BlobErrors.failure("cannot read blob " + key, e);
        }
    }

    @Override
    public Optional<BlobInfo> stat(String key) {
        BlockBlobClient blob = blockBlob(key);
        try {
            BlobProperties p = blob.getProperties();
            return Optional.of(new BlobInfo(key, p.getBlobSize(), instant(p.getLastModified())));
        } catch (BlobStorageException e) {
            if (BlobErrors.isNotFound(e)) {
                return Optional.empty();
            }
            throw BlobErrors.failure("cannot stat blob " + key, e);
        } catch (RuntimeException e) {
            throw BlobErrors.failure("cannot stat blob " + key, e);
        }
    }

    @Override
    public boolean delete(String key) {
        BlockBlobClient blob = blockBlob(key);
        try {
            return Boolean.TRUE.equals(blob.deleteIfExistsWithResponse(DeleteSnapshotsOptionType.INCLUDE, null, null,
                    Context.NONE).getValue());
        } catch (BlobStorageException e) {
            if (BlobErrors.isNotFound(e)) {
                return false;
            }
            throw BlobErrors.failure("cannot delete blob " + key, e);
        } catch (RuntimeException e) {
            throw BlobErrors.failure("cannot delete blob " + key, e);
        }
    }

    @Override
    public List<BlobInfo> list(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        List<BlobInfo> result = new ArrayList<>();
        try {
            ListBlobsOptions options = new ListBlobsOptions();
            if (!prefix.isEmpty()) {
                options.setPrefix(prefix);
            }
            for (BlobItem item : container.listBlobs(options, null)) {
                if (Boolean.TRUE.equals(item.isPrefix()) || Boolean.TRUE.equals(item.isDeleted())
                        || !isValidKey(item.getName())) {
                    continue; // not something this store wrote
                }
                Long size = item.getProperties().getContentLength();
                result.add(new BlobInfo(item.getName(), size == null ? 0 : size,
                        instant(item.getProperties().getLastModified())));
            }
        } catch (BlobStorageException e) {
            if (BlobErrors.isNotFound(e)) {
                return List.of();
            }
            throw BlobErrors.failure("cannot list blobs with prefix '" + prefix + "'", e);
        } catch (RuntimeException e) {
            throw BlobErrors.failure("cannot list blobs with prefix '" + prefix + "'", e);
        }
        result.sort(Comparator.comparing(BlobInfo::key));
        return result;
    }

    @Override
    public long stagePart(String key, String uploadId, int partNumber, InputStream data) {
        BlockBlobClient blob = blockBlob(key);
        String blockId = BlockIds.part(BlobKey.validateUploadId(uploadId), checkPartNumber(partNumber));
        Objects.requireNonNull(data, "data");
        String what = "cannot stage part " + partNumber + " of upload " + uploadId + " for blob " + key;
        SpooledPart part;
        try {
            part = SpooledPart.read(data, config.partMemoryThresholdBytes(), AzureBlobStoreConfig.MAX_BLOCK_BYTES,
                    config.spoolDirectory());
        } catch (IOException e) {
            throw BlobStore.failure(what + ": reading the data failed", e);
        }
        try (part) {
            if (part.size() == 0) {
                throw new IllegalArgumentException(what + ": the part is empty, and Azure Blob Storage refuses empty"
                        + " blocks");
            }
            ensureContainer();
            blob.stageBlockWithResponse(new BlockBlobStageBlockOptions(blockId, part.data()).setContentMd5(part.md5()),
                    null, Context.NONE);
            return part.size();
        } catch (IOException e) {
            throw BlobStore.failure(what + ": the spool file could not be removed", e);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw e;
        } catch (RuntimeException e) {
            throw BlobErrors.failure(what, e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Repeating a commit that succeeded returns the blob again instead of failing, as long as the
     * blob is still exactly that commit (its committed block list is this upload's parts in this
     * order) and no part of the upload is staged anew: a retry after a commit whose answer was lost
     * then succeeds rather than reporting parts "never staged" that were published.
     */
    @Override
    public BlobInfo commitParts(String key, String uploadId, List<Integer> partNumbers) {
        BlockBlobClient blob = blockBlob(key);
        BlobKey.validateUploadId(uploadId);
        Objects.requireNonNull(partNumbers, "partNumbers");
        String what = "cannot commit upload " + uploadId + " as blob " + key;
        if (partNumbers.size() > AzureBlobStoreConfig.MAX_BLOCKS_PER_BLOB) {
            throw new IllegalArgumentException(what + ": " + partNumbers.size() + " parts, but a blob holds at most "
                    + AzureBlobStoreConfig.MAX_BLOCKS_PER_BLOB + " committed blocks");
        }
        try {
            BlockList blocks = BlockLists.of(blob);
            Map<String, Long> staged = sizes(BlockLists.uncommitted(blocks));
            BlockIds.Parts parts = BlockIds.partsOf(uploadId);
            List<String> ids = new ArrayList<>(partNumbers.size());
            long total = 0;
            Integer missing = null;
            for (int partNumber : partNumbers) {
                String id = parts.part(checkPartNumber(partNumber));
                Long size = staged.get(id);
                if (size == null && missing == null) {
                    missing = partNumber;
                }
                ids.add(id);
                total += size == null ? 0 : size;
            }
            if (missing != null) {
                if (isThisCommit(blocks, parts, ids)) {
                    long size = BlockLists.committed(blocks).stream().mapToLong(Block::getSizeLong).sum();
                    return new BlobInfo(key, size, instant(blob.getProperties().getLastModified()));
                }
                throw BlobErrors.failure(what + ": part " + missing + " was never staged"
                        + " (or was discarded by an abort or by another commit to the same key)");
            }
            ensureContainer();
            BlockBlobItem item = blob.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(ids), null,
                    Context.NONE).getValue();
            return new BlobInfo(key, total, instant(item.getLastModified()));
        } catch (BlobStorageException e) {
            if (BlobErrors.isInvalidBlockList(e)) {
                throw BlobErrors.failure(what + ": a part was discarded by a concurrent commit to the same key", e);
            }
            throw BlobErrors.failure(what, e);
        } catch (UncheckedIOException e) {
            throw e;
        } catch (RuntimeException e) {
            throw BlobErrors.failure(what, e);
        }
    }

    /**
     * Discards the staged parts of {@code uploadId} for real. Azure cannot delete uncommitted blocks,
     * but a Put Block List drops every uncommitted block it does not name, so the blob's current
     * content is committed again under an {@code If-Match} condition (or, if there is no blob, an
     * empty one is committed with {@code If-None-Match: *} and deleted with {@code If-Match}).
     * Readers see the same bytes throughout, except that a missing blob exists, empty, for the moment
     * between those two requests. Aborting an upload with no staged part sends no write.
     */
    @Override
    public void abortParts(String key, String uploadId) {
        BlockBlobClient blob = blockBlob(key);
        BlobKey.validateUploadId(uploadId);
        PartDiscard.discard(blob, uploadId, config.blockSizeBytes(), AzureBlobStoreConfig.MAX_BLOCKS_PER_BLOB,
                "cannot abort upload " + uploadId + " for blob " + key);
    }

    @Override
    public String toString() {
        return "AzureBlobStore[container=" + config.container() + "]";
    }

    private static Map<String, Long> sizes(List<Block> blocks) {
        Map<String, Long> sizes = new HashMap<>();
        for (Block block : blocks) {
            sizes.put(block.getName(), block.getSizeLong());
        }
        return sizes;
    }

    /** Returns whether the blob is already the commit of {@code ids}, with nothing of the upload staged anew. */
    private static boolean isThisCommit(BlockList blocks, BlockIds.Parts parts, List<String> ids) {
        return !ids.isEmpty()
                && BlockLists.uncommitted(blocks).stream().map(Block::getName).noneMatch(parts::contains)
                && BlockLists.committed(blocks).stream().map(Block::getName).toList().equals(ids);
    }

    private BlockBlobClient blockBlob(String key) {
        return container.getBlobClient(BlobKey.validate(key)).getBlockBlobClient();
    }

    private void ensureContainer() {
        if (!containerReady) {
            try {
                container.createIfNotExists();
            } catch (BlobStorageException e) {
                // a SAS scoped to one container may write blobs but not create containers: go on, and
                // let the write itself say ContainerNotFound if the container really is missing
                if (e.getStatusCode() != 403) {
                    throw BlobErrors.failure("cannot create container " + config.container(), e);
                }
            } catch (RuntimeException e) {
                throw BlobErrors.failure("cannot create container " + config.container(), e);
            }
            containerReady = true;
        }
    }

    /**
     * Any positive part number fits a block id (ten digits); Azure's limit is on how many blocks one
     * commit names, checked by {@link #commitParts}. Callers number parts as they like: the storage
     * policy stages its manifest as part {@code Integer.MAX_VALUE}.
     */
    private static int checkPartNumber(int partNumber) {
        if (partNumber < 1) {
            throw new IllegalArgumentException("part number must be >= 1, was " + partNumber);
        }
        return partNumber;
    }

    private static boolean isValidKey(String name) {
        try {
            BlobKey.validate(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Reads from the caller's stream; its runtime exceptions (a verifying stream's own) pass through. */
    private static <T> T read(IoSupplier<T> reading, String what) {
        try {
            return reading.get();
        } catch (IOException e) {
            throw BlobStore.failure(what + ": reading the data failed", e);
        }
    }

    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    /** Runs one SDK call, turning its failures into the SPI's exception. */
    private static <T> T call(String what, Supplier<T> sdkCall) {
        try {
            return sdkCall.get();
        } catch (RuntimeException e) {
            throw BlobErrors.failure(what, e);
        }
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? Instant.now() : time.toInstant();
    }
}
