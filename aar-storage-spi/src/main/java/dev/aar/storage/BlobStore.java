package dev.aar.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * Durable storage of byte streams under string keys, with multipart assembly for resumable uploads.
 *
 * <p>Keys are validated with {@link BlobKey#validate(String)}: '/'-separated segments of
 * letters, digits, '.', '_' and '-', never "." or "..". A key names at most one blob; {@link #put}
 * replaces it atomically, so a reader sees either the old bytes or the new, never a mixture.
 *
 * <p>Streams passed in may fail part-way: a client disconnects, or a verifying stream throws
 * because a checksum did not match. When reading {@code data} throws, the store must discard what
 * it read and leave the previous state untouched (no partial blob, no partial part), then rethrow.
 *
 * <p>Failures of the store itself are reported as {@link UncheckedIOException}, preferably its subclass
 * {@link BlobStoreException} ({@link #failure}), which is a {@link dev.aar.spi.BackendException} like every SPI failure.
 */
public interface BlobStore extends AutoCloseable {

    /**
     * Stores all bytes of {@code data} under {@code key}, atomically replacing any previous blob.
     *
     * @return the number of bytes stored
     */
    long put(String key, InputStream data);

    /** Opens the blob for streaming reads, or returns empty if there is none; the caller closes it. */
    Optional<InputStream> get(String key);

    /**
     * Opens {@code length} bytes of the blob from {@code offset} for streaming reads (fewer where the blob
     * ends first, none where {@code offset} is at or past its end), or returns empty if there is no blob;
     * the caller closes the stream. A store answers it with one ranged read (a positional file read, an
     * HTTP {@code Range} GET); the default reads the whole blob from its start and skips to {@code offset}.
     *
     * @throws IllegalArgumentException if {@code offset} or {@code length} is negative
     */
    default Optional<InputStream> get(String key, long offset, long length) {
        BlobRange.check(offset, length);
        return get(key).map(in -> BlobRange.slice(in, offset, length));
    }

    /** Returns the blob's size and modification time, or empty if there is none. */
    Optional<BlobInfo> stat(String key);

    /** Returns whether a blob exists under {@code key}. */
    default boolean exists(String key) {
        return stat(key).isPresent();
    }

    /** Deletes the blob; returns false if there was none. */
    boolean delete(String key);

    /** Lists the blobs whose keys start with {@code prefix} (may be empty), sorted by key. */
    List<BlobInfo> list(String prefix);

    /**
     * Stages one part of a multipart upload; invisible under {@code key} until {@link #commitParts}.
     * Re-staging a part number atomically replaces the earlier part.
     *
     * @return the number of bytes staged
     */
    long stagePart(String key, String uploadId, int partNumber, InputStream data);

    /**
     * {@link #stagePart} for an upload cut into parts as {@code layout} says, so that a store can write
     * the part straight to its offset in the file being assembled instead of beside it, and
     * {@link #commitParts} of the parts in order {@code 1..layout.partCount()} need not copy them again.
     * The contract is {@link #stagePart}'s (re-staging replaces the part; a stream that fails leaves the
     * earlier part untouched). Every part of one upload is staged with the same layout, and {@code data}
     * holds exactly {@code layout.sizeOf(partNumber)} bytes: a store may refuse any other length with
     * {@link IllegalArgumentException}, keeping nothing. The default ignores the layout and calls
     * {@link #stagePart}.
     *
     * @return the number of bytes staged
     * @throws IllegalArgumentException if {@code partNumber} is not a part of {@code layout}
     */
    default long stagePart(String key, String uploadId, int partNumber, PartLayout layout, InputStream data) {
        layout.sizeOf(partNumber);
        return stagePart(key, uploadId, partNumber, data);
    }

    /**
     * Atomically publishes the staged parts, concatenated in the order given, as the blob {@code key},
     * then discards every staged part of {@code uploadId}. Fails if a listed part was never staged.
     *
     * @return the assembled blob
     */
    BlobInfo commitParts(String key, String uploadId, List<Integer> partNumbers);

    /** Discards every staged part of {@code uploadId}; the blob {@code key} is not touched. */
    void abortParts(String key, String uploadId);

    /** Releases the store's resources; the default does nothing. */
    @Override
    default void close() {
    }

    /** Wraps an {@link IOException} from a backend so it can cross the SPI, as a {@link BlobStoreException}. */
    static BlobStoreException failure(String what, IOException cause) {
        return new BlobStoreException(what + ": " + cause.getMessage(), cause);
    }
}
