package dev.aar.storage;

import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link BlobStore} that forwards every call to another one; extend it and override only what a
 * decorator changes (counting, fault injection, access checks).
 */
public abstract class ForwardingBlobStore implements BlobStore {

    private final BlobStore delegate;

    protected ForwardingBlobStore(BlobStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** Returns the store calls are forwarded to. */
    protected BlobStore delegate() {
        return delegate;
    }

    @Override
    public long put(String key, InputStream data) {
        return delegate.put(key, data);
    }

    @Override
    public Optional<InputStream> get(String key) {
        return delegate.get(key);
    }

    @Override
    public Optional<InputStream> get(String key, long offset, long length) {
        return delegate.get(key, offset, length);
    }

    @Override
    public Optional<BlobInfo> stat(String key) {
        return delegate.stat(key);
    }

    @Override
    public boolean exists(String key) {
        return delegate.exists(key);
    }

    @Override
    public boolean delete(String key) {
        return delegate.delete(key);
    }

    @Override
    public List<BlobInfo> list(String prefix) {
        return delegate.list(prefix);
    }

    @Override
    public long stagePart(String key, String uploadId, int partNumber, InputStream data) {
        return delegate.stagePart(key, uploadId, partNumber, data);
    }

    @Override
    public long stagePart(String key, String uploadId, int partNumber, PartLayout layout, InputStream data) {
        return delegate.stagePart(key, uploadId, partNumber, layout, data);
    }

    @Override
    public BlobInfo commitParts(String key, String uploadId, List<Integer> partNumbers) {
        return delegate.commitParts(key, uploadId, partNumbers);
    }

    @Override
    public void abortParts(String key, String uploadId) {
        delegate.abortParts(key, uploadId);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
