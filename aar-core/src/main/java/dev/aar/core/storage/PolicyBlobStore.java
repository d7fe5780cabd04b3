package dev.aar.core.storage;

import dev.aar.core.error.BlobIntegrityException;
import dev.aar.core.error.ConfigException;
import dev.aar.core.config.StoragePolicy;
import dev.aar.core.storage.internal.RangeSource;
import dev.aar.core.storage.internal.RangedChannel;
import dev.aar.core.storage.internal.SealedChannel;
import dev.aar.core.storage.internal.SealedFormat;
import dev.aar.core.storage.internal.SealingInputStream;
import dev.aar.core.storage.internal.SealingKey;
import dev.aar.core.storage.internal.StoredRanges;
import dev.aar.core.storage.internal.UnsealingInputStream;
import dev.aar.storage.BlobInfo;
import dev.aar.storage.BlobKey;
import dev.aar.storage.BlobRange;
import dev.aar.storage.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link BlobStore} decorator that applies the {@link StoragePolicy}: encryption (Tink's streaming
 * AEAD, AES256_GCM_HKDF) and compression at rest, on any backend.
 *
 * <p>Blobs are written in the sealed format of {@code docs/storage-policy.md}: a Tink streaming
 * ciphertext of independently authenticated segments, streamed, so memory stays at about two
 * segments per open stream. Each part
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

    /**
     * Ciphertext bytes per authenticated segment unless configured otherwise. Tink's AES256_GCM_HKDF_1MB
     * template has 1 MiB segments ({@code segmentSize(1 << 20)} gives it exactly); 256 KiB is the default
     * because with 1 MiB segments the JIT compiled AES-GCM only after about 400 MiB had been sealed at
     * ~13 MiB/s, against about 100 MiB with 256 KiB (docs/BENCHMARKS.md, "Sealing with Tink").
     */
    public static final int DEFAULT_SEGMENT_SIZE = 256 * 1024;
    /** The part number reserved for the manifest of a committed upload; callers may not stage it. */
    public static final int MANIFEST_PART = Integer.MAX_VALUE;

    private final BlobStore inner;
    private final SealingKey sealingKey;
    private final boolean compress;
    private final int segmentSize;

    private PolicyBlobStore(Builder b) {
        this.inner = b.inner;
        this.sealingKey = b.key == null ? null : SealingKey.of(b.key, b.segmentSize);
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
        return write(SealedFormat.TYPE_SINGLE, 0, "", key, data, sealed -> inner.put(key, sealed));
    }

    @Override
    public Optional<InputStream> get(String key) {
        return inner.get(key).map(stored -> open(key, stored));
    }

    /**
     * Reads a range of the blob's plaintext: through {@link #openChannel} where the blob maps to one
     * (only the segments the range touches are read and verified), else from the start of the stream.
     */
    @Override
    public Optional<InputStream> get(String key, long offset, long length) {
        BlobRange.check(offset, length);
        Optional<SeekableByteChannel> channel = openChannel(key);
        if (channel.isPresent()) {
            SeekableByteChannel ch = channel.get();
            try {
                ch.position(offset);
            } catch (IOException e) {
                closeQuietly(ch);
                throw BlobStore.failure("cannot read blob " + key, e);
            }
            return Optional.of(BlobRange.slice(Channels.newInputStream(ch), 0, length));
        }
        return get(key).map(in -> BlobRange.slice(in, offset, length));
    }

    /**
     * Opens the blob's plaintext as a read-only seekable channel, or returns empty when there is no blob or it
     * cannot be read by seeking: compressed, or framed without encryption (read those with {@link #get}).
     * Encrypted blobs are decrypted by Tink's seekable decrypting channel over ranged reads of the stored
     * records, and every segment read is verified ({@link BlobIntegrityException} otherwise); blobs written
     * before the policy applied (no header, encryption off) are the stored bytes. The caller closes it.
     */
    public Optional<SeekableByteChannel> openChannel(String key) {
        BlobKey.validate(key);
        Optional<BlobInfo> info = inner.stat(key);
        if (info.isEmpty()) {
            return Optional.empty();
        }
        RangeSource source = new StoredRanges(inner, key, info.get().size());
        try {
            if (sealingKey != null) {
                return Optional.ofNullable(SealedChannel.open(source, key, sealingKey));
            }
            byte[] head = source.read(0, SealedFormat.MAGIC.length);
            if (Arrays.equals(head, SealedFormat.MAGIC)) {
                return Optional.empty(); // framed with checksums per record: the stream path checks them
            }
            return Optional.of(new RangedChannel(source));
        } catch (IOException e) {
            throw BlobStore.failure("cannot read blob " + key, e);
        }
    }

    /**
     * Opens a blob of a store that applies no policy (its stored bytes are the blob) as a read-only seekable
     * channel over its ranged reads, or returns empty if there is none. The caller closes it.
     */
    public static Optional<SeekableByteChannel> openStoredChannel(BlobStore store, String key) {
        BlobKey.validate(key);
        return store.stat(key).map(info -> new RangedChannel(new StoredRanges(store, key, info.size())));
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
        return write(SealedFormat.TYPE_PART, partNumber, uploadId, key, data,
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
        write(SealedFormat.TYPE_MANIFEST, 0, uploadId, key, new ByteArrayInputStream(manifest.array()),
                sealed -> inner.stagePart(key, uploadId, MANIFEST_PART, sealed));
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
        return sealingKey != null;
    }

    private interface Writer {
        long write(InputStream sealed);
    }

    private long write(int type, int partNumber, String uploadId, String key, InputStream data, Writer writer) {
        Objects.requireNonNull(data, "data");
        try (SealingInputStream sealed = new SealingInputStream(data, type, partNumber, uploadId, sealingKey, segmentSize,
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
                if (sealingKey == null) {
                    return peek; // written before the policy applied; nothing to verify without encryption
                }
                throw new BlobIntegrityException(BlobIntegrityException.Reason.NOT_ENCRYPTED, key,
                        "is stored in plain text although encryption is enabled");
            }
            return new UnsealingInputStream(peek, key, sealingKey);
        } catch (IOException e) {
            closeQuietly(stored);
            throw BlobStore.failure("cannot read blob " + key, e);
        } catch (RuntimeException e) {
            closeQuietly(stored);
            throw e;
        }
    }

    private static void closeQuietly(java.io.Closeable in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // already failing
        }
    }

    @Override
    public String toString() {
        return "PolicyBlobStore[" + (sealingKey != null ? "AES256_GCM_HKDF" : "plain") + (compress ? "+deflate" : "")
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

        /** Whether to deflate streams whose first 64 KiB shrink by at least 1/32 (default: true). */
        public Builder compression(boolean compress) {
            this.compress = compress;
            return this;
        }

        /** Ciphertext bytes per authenticated segment (and per record), 1 KiB to 16 MiB (default 256 KiB). */
        public Builder segmentSize(int segmentSize) {
            if (segmentSize < SealedFormat.MIN_SEGMENT_SIZE || segmentSize > SealedFormat.MAX_SEGMENT_SIZE) {
                throw new IllegalArgumentException("segment size must be between " + SealedFormat.MIN_SEGMENT_SIZE + " and "
                        + SealedFormat.MAX_SEGMENT_SIZE
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
