package dev.aar.core.storage.internal;

import dev.aar.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;

/** The stored bytes of one blob of a {@link BlobStore}, read with its ranged reads. */
public final class StoredRanges implements RangeSource {

    private final BlobStore store;
    private final String key;
    private final long size;

    /** @param size the stored size, as {@link BlobStore#stat} reported it */
    public StoredRanges(BlobStore store, String key, long size) {
        this.store = store;
        this.key = key;
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public InputStream open(long offset, long length) throws IOException {
        return store.get(key, offset, length)
                .orElseThrow(() -> new IOException("blob " + key + " was deleted while it was read"));
    }
}
