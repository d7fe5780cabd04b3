package dev.aar.core.storage;

import dev.aar.core.error.BlobIntegrityException;
import dev.aar.core.error.ConfigException;
import dev.aar.core.config.StoragePolicy;
import dev.aar.core.storage.internal.SealedFormat;
import dev.aar.core.storage.internal.SealingInputStream;
import dev.aar.core.storage.internal.StreamHeader;
import dev.aar.core.storage.internal.UnsealingInputStream;
import dev.aar.storage.BlobInfo;
import dev.aar.storage.BlobKey;
import dev.aar.storage.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link BlobStore} decorator that applies the {@link StoragePolicy}: AES-256-GCM encryption and
 * compression at rest, on any backend.
 *
 * <p>Blobs are written in the sealed format of {@code docs/storage-policy.md}: independently
 * authenticated segments, streamed, so memory stays at about one segment per open stream. Each part
 * of a multipart upload is sealed on its own, and {@link #commitParts} stages a small manifest as the
 * first part, so the backend still assembles by plain concatenation (file concatenation, Azure's
 * commit block list) and the reader still detects reordered, foreign or missing parts.
 *
 * <p>{@link #get} returns a stream that throws {@link BlobIntegrityException} on a wrong key or any
 * tampering; it never returns unverified bytes. {@link #stat} and {@link #list} report stored
 * (sealed) sizes. With encryption off, blobs written before compression was enabled (no header)
 * are read as they are.
 */
public final class PolicyBlobStore implements BlobStore {

    /** Plaintext bytes per segment unless configured otherwise. */
    public static final int DEFAULT_SEGMENT_SIZE = 256 * 1024;
    /** The part number reserved for the manifest of a committed upload; callers may not stage it. */
    public static final int MANIFEST_PART = Integer.MAX_VALUE;

    private final BlobStore inner;
    private final byte[] masterKey;
    private final byte[] keyId;
    private final boolean compress;
    private final int segmentSize;

    private PolicyBlobStore(Builder b) {
        this.inner = b.inner;
        this.masterKey = b.key;
        this.keyId = b.key == null ? null : SealedFormat.keyId(b.key);
        this.compress = b.compress;
        this.segmentSize = b.segmentSize;
    }

    /**
     * Applies {@code policy} to {@code inner}: returns {@code inner} itself when neither encryption
     * nor compression is enabled.
     *
     * @throws ConfigException if encryption is enabled and no key is configured
     */
    public static BlobStore wrap(BlobStore inner, StoragePolicy policy) {
        if (!policy.encryptionEnabled() && !policy.compressionEnabled()) {
            return inner;
        }
        Builder b = builder(inner).compression(policy.compressionEnabled());
        if (policy.encryptionEnabled()) {
            byte[] key = policy.encryptionKeyBytes();
            if (key == null) {
                throw new ConfigException(ConfigException.Reason.INCONSISTENT, StoragePolicy.SECTION
                        + ".EncryptionEnabled = true needs " + StoragePolicy.SECTION
                        + ".EncryptionKey or AAR_STORAGE_KEY (base64 of 32 bytes, e.g. `openssl rand -base64 32`)");
            }
            b.encryptionKey(key);
        }
        return b.build();
    }

    /** Starts configuring a decorator over {@code inner}; by default it compresses and does not encrypt. */
    public static Builder builder(BlobStore inner) {
        return new Builder(inner);
    }

    @Override
    public long put(String key, InputStream data) {
        BlobKey.validate(key);
        return write(StreamHeader.create(SealedFormat.TYPE_SINGLE, keyId, 0, segmentSize, ""), key, data,
                sealed -> inner.put(key, sealed));
    }

    @Override
    public Optional<InputStream> get(String key) {
        return inner.get(key).map(stored -> open(key, stored));
    }

    @Override
    public Optional<BlobInfo> stat(String key) {
        return inner.stat(key);
    }

    @Override
    public boolean delete(String key) {
        return inner.delete(key);
    }

    @Override
    public List<BlobInfo> list(String prefix) {
        return inner.list(prefix);
    }

    @Override
    public long stagePart(String key, String uploadId, int partNumber, InputStream data) {
        BlobKey.validate(key);
        BlobKey.validateUploadId(uploadId);
        if (partNumber < 1 || partNumber == MANIFEST_PART) {
            throw new IllegalArgumentException("part number must be between 1 and " + (MANIFEST_PART - 1) + ", was "
                    + partNumber);
        }
        return write(StreamHeader.create(SealedFormat.TYPE_PART, keyId, partNumber, segmentSize, uploadId), key, data,
                sealed -> inner.stagePart(key, uploadId, partNumber, sealed));
    }

    @Override
    public BlobInfo commitParts(String key, String uploadId, List<Integer> partNumbers) {
        BlobKey.validate(key);
        if (partNumbers.size() > SealedFormat.MAX_MANIFEST_PARTS) {
            throw new IllegalArgumentException("at most " + SealedFormat.MAX_MANIFEST_PARTS + " parts, were "
                    + partNumbers.size());
        }
        ByteBuffer manifest = ByteBuffer.allocate(4 + 4 * partNumbers.size()).putInt(partNumbers.size());
        partNumbers.forEach(manifest::putInt);
        // the manifest goes first so a reader knows the order before it returns any byte of a part
        write(StreamHeader.create(SealedFormat.TYPE_MANIFEST, keyId, 0, segmentSize, uploadId), key,
                new ByteArrayInputStream(manifest.array()), sealed -> inner.stagePart(key, uploadId, MANIFEST_PART, sealed));
        List<Integer> order = new ArrayList<>(partNumbers.size() + 1);
        order.add(MANIFEST_PART);
        order.addAll(partNumbers);
        return inner.commitParts(key, uploadId, order);
    }

    @Override
    public void abortParts(String key, String uploadId) {
        inner.abortParts(key, uploadId);
    }

    @Override
    public void close() {
        inner.close();
    }

    /** Returns the store the sealed bytes go to. */
    public BlobStore delegate() {
        return inner;
    }

    /** Returns whether blobs are encrypted (a key is set). */
    public boolean encrypts() {
        return masterKey != null;
    }

    private interface Writer {
        long write(InputStream sealed);
    }

    private long write(StreamHeader header, String key, InputStream data, Writer writer) {
        Objects.requireNonNull(data, "data");
        try (SealingInputStream sealed = new SealingInputStream(data, header, masterKey,
                key.getBytes(StandardCharsets.UTF_8), compress)) {
            writer.write(sealed);
            return sealed.plainBytes();
        }
    }

    private InputStream open(String key, InputStream stored) {
        PushbackInputStream peek = new PushbackInputStream(stored, SealedFormat.MAGIC.length);
        try {
            byte[] head = peek.readNBytes(SealedFormat.MAGIC.length);
            peek.unread(head);
            if (!Arrays.equals(head, SealedFormat.MAGIC)) {
                if (masterKey == null) {
                    return peek; // written before the policy applied; nothing to verify without encryption
                }
                throw new BlobIntegrityException(BlobIntegrityException.Reason.NOT_ENCRYPTED, key,
                        "is stored in plain text although encryption is enabled");
            }
            return new UnsealingInputStream(peek, key, masterKey);
        } catch (IOException e) {
            closeQuietly(stored);
            throw BlobStore.failure("cannot read blob " + key, e);
        } catch (RuntimeException e) {
            closeQuietly(stored);
            throw e;
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // already failing
        }
    }

    @Override
    public String toString() {
        return "PolicyBlobStore[" + (masterKey != null ? "AES-256-GCM" : "plain") + (compress ? "+deflate" : "")
                + " over " + inner + "]";
    }

    /** Configures a {@link PolicyBlobStore}. */
    public static final class Builder {
        private final BlobStore inner;
        private byte[] key;
        private boolean compress = true;
        private int segmentSize = DEFAULT_SEGMENT_SIZE;

        private Builder(BlobStore inner) {
            this.inner = Objects.requireNonNull(inner, "inner");
        }

        /** Encrypts with this 32-byte AES-256 key (default: no encryption). */
        public Builder encryptionKey(byte[] key) {
            if (key == null || key.length != 32) {
                throw new IllegalArgumentException("encryption key must be 32 bytes, was "
                        + (key == null ? "null" : key.length + " bytes"));
            }
            this.key = key.clone();
            return this;
        }

        /** Whether to deflate segments that shrink by at least 1/32 (default: true). */
        public Builder compression(boolean compress) {
            this.compress = compress;
            return this;
        }

        /** Plaintext bytes per authenticated segment, 1 KiB to 16 MiB (default 256 KiB). */
        public Builder segmentSize(int segmentSize) {
            if (segmentSize < 1024 || segmentSize > SealedFormat.MAX_SEGMENT_SIZE) {
                throw new IllegalArgumentException("segment size must be between 1024 and " + SealedFormat.MAX_SEGMENT_SIZE
                        + ", was " + segmentSize);
            }
            this.segmentSize = segmentSize;
            return this;
        }

        public PolicyBlobStore build() {
            return new PolicyBlobStore(this);
        }
    }
}
