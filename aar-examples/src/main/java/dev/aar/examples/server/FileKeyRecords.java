package dev.aar.examples.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys in a JSON file (the quick start without a configured database), written owner-only and
 * atomically, re-read whenever it changes on disk, so {@code aar keys} run beside a running
 * {@code aar serve} takes effect on its next request.
 *
 * <p>A change is read-modify-write under an exclusive lock on {@code <file>.lock}, so the server
 * (recording a key's use) and the CLI never lose each other's writes. Each request compares the
 * file's modification time, size and identity with those last read: one {@code stat}, no read.
 * A file that cannot be parsed counts as holding no keys (every request is refused) until it is
 * fixed, rather than keeping keys the file no longer holds.
 */
final class FileKeyRecords implements KeyRecords {

    private static final Logger log = LoggerFactory.getLogger(FileKeyRecords.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** One monitor per file: a JVM may not lock a file twice, and tests run server and CLI in one JVM. */
    private static final ConcurrentHashMap<Path, Object> MONITORS = new ConcurrentHashMap<>();

    private final Path file;
    private final Path lockFile;
    private final ObjectMapper json;
    private final Object monitor;
    private volatile Snapshot snapshot;

    /** What the file looked like when it was read. */
    private record Stamp(FileTime modified, long size, Object fileKey) {
    }

    private record Snapshot(Stamp stamp, List<ApiKey> keys) {
    }

    /** A change to the keys: the new list (null: unchanged) and what the caller gets back. */
    record Change<T>(List<ApiKey> next, T result) {
    }

    /**
     * Opens the file (which need not exist yet).
     *
     * @throws UncheckedIOException when it exists but cannot be read or parsed
     */
    FileKeyRecords(Path file, ObjectMapper json) {
        this.file = file.toAbsolutePath().normalize();
        this.lockFile = this.file.resolveSibling(this.file.getFileName() + ".lock");
        this.json = json;
        this.monitor = MONITORS.computeIfAbsent(this.file, f -> new Object());
        this.snapshot = read();
    }

    Path file() {
        return file;
    }

    @Override
    public List<ApiKey> all() {
        return current().keys();
    }

    @Override
    public Optional<ApiKey> findBySha256(String sha256) {
        byte[] wanted = sha256.getBytes(StandardCharsets.US_ASCII);
        for (ApiKey k : current().keys()) {
            if (MessageDigest.isEqual(wanted, k.sha256().getBytes(StandardCharsets.US_ASCII))) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    @Override
    public void insert(ApiKey key) {
        update(keys -> {
            List<ApiKey> next = new ArrayList<>(keys);
            next.add(key);
            return new Change<>(next, null);
        });
    }

    @Override
    public boolean insertIfEmpty(ApiKey key) {
        return update(keys -> keys.isEmpty() ? new Change<>(List.of(key), true) : new Change<>(null, false));
    }

    @Override
    public boolean revoke(String id, Instant at) {
        return update(keys -> revoked(keys, id, at));
    }

    @Override
    public boolean rotate(ApiKey next, String oldId, Instant oldRevokedAt) {
        return update(keys -> {
            Change<Boolean> revoked = revoked(keys, oldId, oldRevokedAt);
            if (!revoked.result()) {
                return revoked;
            }
            List<ApiKey> all = new ArrayList<>(revoked.next());
            all.add(next);
            return new Change<>(all, true);
        });
    }

    @Override
    public void touch(String id, Instant at) {
        update(keys -> {
            boolean changed = false;
            List<ApiKey> next = new ArrayList<>(keys.size());
            for (ApiKey k : keys) {
                if (k.id().equals(id) && (k.lastUsedAt() == null || k.lastUsedAt().isBefore(at))) {
                    next.add(k.withLastUsedAt(at));
                    changed = true;
                } else {
                    next.add(k);
                }
            }
            return new Change<>(changed ? next : null, null);
        });
    }

    @Override
    public String describe() {
        return "the file " + file;
    }

    private static Change<Boolean> revoked(List<ApiKey> keys, String id, Instant at) {
        boolean found = false;
        List<ApiKey> next = new ArrayList<>(keys.size());
        for (ApiKey k : keys) {
            if (k.id().equals(id)) {
                found = true;
                next.add(k.revokedAt() != null && !k.revokedAt().isAfter(at) ? k : k.withRevokedAt(at));
            } else {
                next.add(k);
            }
        }
        return new Change<>(found ? next : null, found);
    }

    /** Returns the keys as the file holds them now, re-reading it only if it changed since the last read. */
    private Snapshot current() {
        Snapshot s = snapshot;
        if (Objects.equals(stamp(), s.stamp())) {
            return s;
        }
        synchronized (monitor) {
            s = snapshot;
            Stamp now = stamp();
            if (Objects.equals(now, s.stamp())) {
                return s;
            }
            try {
                s = read();
                log.info("API keys re-read from {}: {} key(s)", file, s.keys().size());
            } catch (UncheckedIOException e) {
                log.error("API key file {} cannot be read; refusing every key until it is fixed: {}", file,
                        e.getCause().getMessage());
                s = new Snapshot(now, List.of());
            }
            snapshot = s;
            return s;
        }
    }

    private <T> T update(Function<List<ApiKey>, Change<T>> change) {
        synchronized (monitor) {
            try {
                Files.createDirectories(file.getParent());
                try (FileChannel channel = openLock(); FileLock lock = channel.lock()) {
                    Snapshot fresh = read();
                    Change<T> c = change.apply(fresh.keys());
                    if (c.next() != null) {
                        write(c.next());
                        snapshot = read();
                    } else {
                        snapshot = fresh;
                    }
                    return c.result();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write API keys to " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private FileChannel openLock() throws IOException {
        if (!Files.exists(lockFile) && posix()) {
            try {
                Files.createFile(lockFile, ownerOnly());
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another process made it first: fine
            }
        }
        return FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    private void write(List<ApiKey> keys) throws IOException {
        byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(keys);
        Path tmp = posix() ? Files.createTempFile(file.getParent(), ".api-keys", ".tmp", ownerOnly())
                : Files.createTempFile(file.getParent(), ".api-keys", ".tmp");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                out.write(java.nio.ByteBuffer.wrap(bytes));
                out.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private Snapshot read() {
        Stamp stamp = stamp();
        if (stamp == null) {
            return new Snapshot(null, List.of());
        }
        try {
            JsonNode root = json.readTree(Files.readAllBytes(file));
            if (root == null || root.isMissingNode()) {
                return new Snapshot(stamp, List.of());
            }
            if (!root.isArray()) {
                throw new IOException("expected a JSON array of keys");
            }
            List<ApiKey> keys = new ArrayList<>();
            boolean anyRights = false;
            for (JsonNode n : root) {
                keys.add(json.treeToValue(n, ApiKey.class));
                anyRights |= n.has("rights");
            }
            if (!anyRights && !keys.isEmpty()) {
                // a file written before keys had rights: its oldest key is the one aar serve issued at
                // first start, which now carries the approve right; the others carry none
                ApiKey first = keys.stream().min(Comparator.comparing(ApiKey::createdAt,
                        Comparator.nullsLast(Comparator.naturalOrder()))).orElseThrow();
                keys.replaceAll(k -> k == first ? k.withRights(Set.of(ApiKey.APPROVE)) : k);
            }
            return new Snapshot(stamp, List.copyOf(keys));
        } catch (NoSuchFileException e) {
            return new Snapshot(null, List.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read API keys from " + file + ": " + e.getMessage(), e);
        }
    }

    private Stamp stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(a.lastModifiedTime(), a.size(), a.fileKey());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read API keys from " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<Set<PosixFilePermission>> ownerOnly() {
        return PosixFilePermissions.asFileAttribute(OWNER_ONLY);
    }
}
