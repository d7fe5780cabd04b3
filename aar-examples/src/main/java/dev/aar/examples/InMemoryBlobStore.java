package dev.aar.examples;

import dev.aar.storage.BlobInfo;
import dev.aar.storage.BlobKey;
import dev.aar.storage.BlobRange;
import dev.aar.storage.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A host-written {@link BlobStore} that keeps everything in memory — the shape of any custom
 * backend: validate keys with {@link BlobKey}, read a stream fully before publishing it (so a
 * failing stream changes nothing), and publish by replacing one reference (so readers never see a
 * mixture). It passes the SPI's contract test ({@code BlobStoreContract}).
 */
public final class InMemoryBlobStore implements BlobStore {

    private record Blob(byte[] bytes, Instant modified) {
    }

    private final Clock clock;
    private final NavigableMap<String, Blob> blobs = new ConcurrentSkipListMap<>();
    /** Staged parts per (key, upload id). */
    private final Map<String, Map<Integer, byte[]>> parts = new ConcurrentHashMap<>();

    public InMemoryBlobStore() {
        this(Clock.systemUTC());
    }

    public InMemoryBlobStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public long put(String key, InputStream data) {
        BlobKey.validate(key);
        byte[] bytes = readAll(data, key);
        blobs.put(key, new Blob(bytes, clock.instant()));
        return bytes.length;
    }

    @Override
    public Optional<InputStream> get(String key) {
        BlobKey.validate(key);
        return Optional.ofNullable(blobs.get(key)).map(b -> new ByteArrayInputStream(b.bytes()));
    }

    @Override
    public Optional<InputStream> get(String key, long offset, long length) {
        BlobKey.validate(key);
        BlobRange.check(offset, length);
        return Optional.ofNullable(blobs.get(key)).map(b -> {
            int from = (int) Math.min(offset, b.bytes().length);
            return new ByteArrayInputStream(b.bytes(), from, (int) Math.min(length, b.bytes().length - from));
        });
    }

    @Override
    public Optional<BlobInfo> stat(String key) {
        BlobKey.validate(key);
        return Optional.ofNullable(blobs.get(key)).map(b -> new BlobInfo(key, b.bytes().length, b.modified()));
    }

    @Override
    public boolean delete(String key) {
        BlobKey.validate(key);
        return blobs.remove(key) != null;
    }

    @Override
    public List<BlobInfo> list(String prefix) {
        return blobs.tailMap(prefix, true).entrySet().stream().takeWhile(e -> e.getKey().startsWith(prefix))
                .map(e -> new BlobInfo(e.getKey(), e.getValue().bytes().length, e.getValue().modified())).toList();
    }

    @Override
    public long stagePart(String key, String uploadId, int partNumber, InputStream data) {
        BlobKey.validate(key);
        BlobKey.validateUploadId(uploadId);
        byte[] bytes = readAll(data, key + " part " + partNumber);
        parts.computeIfAbsent(partsKey(key, uploadId), k -> new ConcurrentHashMap<>()).put(partNumber, bytes);
        return bytes.length;
    }

    @Override
    public BlobInfo commitParts(String key, String uploadId, List<Integer> partNumbers) {
        BlobKey.validate(key);
        BlobKey.validateUploadId(uploadId);
        Map<Integer, byte[]> staged = parts.getOrDefault(partsKey(key, uploadId), Map.of());
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (int n : partNumbers) {
            byte[] part = staged.get(n);
            if (part == null) {
                throw new IllegalStateException("part " + n + " of upload " + uploadId + " was never staged");
            }
            whole.writeBytes(part);
        }
        Blob blob = new Blob(whole.toByteArray(), clock.instant());
        blobs.put(key, blob);
        parts.remove(partsKey(key, uploadId));
        return new BlobInfo(key, blob.bytes().length, blob.modified());
    }

    @Override
    public void abortParts(String key, String uploadId) {
        BlobKey.validateUploadId(uploadId);
        parts.remove(partsKey(key, uploadId));
    }

    private static String partsKey(String key, String uploadId) {
        return key + "\n" + uploadId;
    }

    private static byte[] readAll(InputStream data, String what) {
        try (data) {
            return data.readAllBytes();
        } catch (IOException e) {
            throw BlobStore.failure("cannot read the data for " + what, e);
        }
    }
}
