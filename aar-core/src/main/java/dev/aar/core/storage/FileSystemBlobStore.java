package dev.aar.core.storage;

import dev.aar.storage.BlobInfo;
import dev.aar.storage.BlobKey;
import dev.aar.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A {@link BlobStore} on the local file system, durable across crashes.
 *
 * <p>Every write goes to a temporary file in the store's own directory, is flushed to disk
 * ({@code fsync}), and is then renamed over the target atomically (and the directory flushed), so
 * a crash leaves either the old blob or the new one. Keys are checked by {@link BlobKey} and every resolved path is checked
 * to lie under the root, so no key can reach outside it; symbolic links planted inside the root are
 * never followed (a directory that resolves outside the root is refused, a blob that is a link is
 * not read). Parts are assembled with {@link FileChannel#transferTo}, which copies in the kernel
 * rather than through the Java heap.
 *
 * <p>Layout under the root: key {@code a/b/c} is the file {@code blobs/a.d/b.d/c.blob}; parts are
 * {@code parts/<uploadId>/<n>.part}; writes in progress are in {@code tmp/}. Directories and files
 * carry different suffixes so that every pair of valid keys ({@code a}, {@code a/b},
 * {@code a.blob/b}, ...) maps to distinct, non-overlapping paths.
 *
 * <p>The link checks run before each write; a process that can rewrite the root concurrently can
 * still race them, so the root must not be writable by anyone the host does not trust.
 */
public final class FileSystemBlobStore implements BlobStore {

    private static final String SUFFIX = ".blob";
    private static final String DIR_SUFFIX = ".d";
    private static final int BUFFER = 256 * 1024;

    private final Path root;
    private final Path blobs;
    private final Path parts;
    private final Path tmp;

    private FileSystemBlobStore(Path root) {
        this.root = root;
        this.blobs = root.resolve("blobs");
        this.parts = root.resolve("parts");
        this.tmp = root.resolve("tmp");
    }

    /** Opens (creating if needed) a store rooted at {@code directory}. */
    public static FileSystemBlobStore open(Path directory) {
        Objects.requireNonNull(directory, "directory");
        FileSystemBlobStore store;
        try {
            Path root = Files.createDirectories(directory.toAbsolutePath().normalize()).toRealPath();
            store = new FileSystemBlobStore(root);
            for (Path dir : List.of(store.blobs, store.parts, store.tmp)) {
                Files.createDirectories(dir);
                if (!dir.toRealPath().equals(dir)) {
                    throw new FileSystemException(dir.toString(), null, "is a symbolic link; refusing to follow it");
                }
            }
            store.clearTemporaryFiles();
        } catch (IOException e) {
            throw BlobStore.failure("cannot create blob store at " + directory, e);
        }
        return store;
    }

    /** Returns the root directory. */
    public Path root() {
        return root;
    }

    @Override
    public long put(String key, InputStream data) {
        Path target = blobPath(key);
        Path temp = newTempFile();
        try {
            long size = writeDurably(data, temp);
            createDirectoriesInside(target.getParent());
            moveAtomically(temp, target);
            return size;
        } catch (IOException e) {
            throw BlobStore.failure("cannot store blob " + key, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    @Override
    public Optional<InputStream> get(String key) {
        Path path = blobPath(key);
        try {
            requireInside(path.getParent());
            return Optional.of(Channels.newInputStream(Files.newByteChannel(path, StandardOpenOption.READ,
                    LinkOption.NOFOLLOW_LINKS)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw BlobStore.failure("cannot read blob " + key, e);
        }
    }

    @Override
    public Optional<BlobInfo> stat(String key) {
        Path path = blobPath(key);
        try {
            requireInside(path.getParent());
            BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attrs.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(new BlobInfo(key, attrs.size(), attrs.lastModifiedTime().toInstant()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw BlobStore.failure("cannot stat blob " + key, e);
        }
    }

    @Override
    public boolean delete(String key) {
        Path path = blobPath(key);
        try {
            requireInside(path.getParent());
            boolean deleted = Files.deleteIfExists(path);
            pruneEmptyParents(path.getParent(), blobs);
            return deleted;
        } catch (IOException e) {
            throw BlobStore.failure("cannot delete blob " + key, e);
        }
    }

    @Override
    public List<BlobInfo> list(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        Path start = listingStart(prefix);
        if (start == null) {
            return List.of();
        }
        List<BlobInfo> result = new ArrayList<>();
        try (Stream<Path> files = Files.walk(start)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String key = keyOf(p);
                if (key == null || !key.startsWith(prefix)) {
                    continue;
                }
                try {
                    BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (attrs.isRegularFile()) {
                        result.add(new BlobInfo(key, attrs.size(), attrs.lastModifiedTime().toInstant()));
                    }
                } catch (NoSuchFileException e) {
                    // deleted while we walked: not part of the listing
                }
            }
        } catch (IOException e) {
            throw BlobStore.failure("cannot list blobs", e);
        } catch (UncheckedIOException e) {
            throw BlobStore.failure("cannot list blobs", e.getCause());
        }
        result.sort(Comparator.comparing(BlobInfo::key));
        return result;
    }

    @Override
    public long stagePart(String key, String uploadId, int partNumber, InputStream data) {
        BlobKey.validate(key);
        Path target = partPath(uploadId, partNumber);
        Path temp = newTempFile();
        try {
            long size = writeDurably(data, temp);
            createDirectoriesInside(target.getParent());
            moveAtomically(temp, target);
            return size;
        } catch (IOException e) {
            throw BlobStore.failure("cannot stage part " + partNumber + " of upload " + uploadId, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    @Override
    public BlobInfo commitParts(String key, String uploadId, List<Integer> partNumbers) {
        Path target = blobPath(key);
        Path temp = newTempFile();
        try {
            long total = 0;
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                for (int partNumber : partNumbers) {
                    Path part = partPath(uploadId, partNumber);
                    requireInside(part.getParent());
                    try (FileChannel in = FileChannel.open(part, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                        long size = in.size();
                        long position = 0;
                        while (position < size) {
                            position += in.transferTo(position, size - position, out);
                        }
                        total += size;
                    } catch (NoSuchFileException e) {
                        throw new NoSuchFileException("part " + partNumber + " of upload " + uploadId + " was never staged");
                    }
                }
                out.force(true);
            }
            createDirectoriesInside(target.getParent());
            moveAtomically(temp, target);
            abortParts(key, uploadId);
            return new BlobInfo(key, total, Files.getLastModifiedTime(target).toInstant());
        } catch (IOException e) {
            throw BlobStore.failure("cannot commit upload " + uploadId + " as " + key, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    @Override
    public void abortParts(String key, String uploadId) {
        Path dir = uploadDir(uploadId);
        try {
            requireInside(dir);
        } catch (IOException e) {
            throw BlobStore.failure("cannot abort upload " + uploadId, e);
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw BlobStore.failure("cannot abort upload " + uploadId, e);
        }
        try {
            Files.deleteIfExists(dir);
        } catch (DirectoryNotEmptyException e) {
            // a part was staged concurrently with the abort; the next abort or sweep removes it
        } catch (IOException e) {
            throw BlobStore.failure("cannot abort upload " + uploadId, e);
        }
    }

    private Path blobPath(String key) {
        String[] segments = BlobKey.validate(key).split("/");
        Path path = blobs;
        for (int i = 0; i < segments.length - 1; i++) {
            path = path.resolve(segments[i] + DIR_SUFFIX);
        }
        return inside(path.resolve(segments[segments.length - 1] + SUFFIX), key);
    }

    /**
     * Returns the deepest directory that holds every key starting with {@code prefix} (its complete
     * segments), so a listing walks one project rather than the whole store; null if no key can match.
     */
    private Path listingStart(String prefix) {
        Path start = blobs;
        int slash = prefix.lastIndexOf('/');
        if (slash >= 0) {
            for (String segment : prefix.substring(0, slash).split("/", -1)) {
                if (!isValidSegment(segment)) {
                    return null;
                }
                start = start.resolve(segment + DIR_SUFFIX);
            }
        }
        return Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS) ? start : null;
    }

    private static boolean isValidSegment(String segment) {
        try {
            BlobKey.validateUploadId(segment); // a single segment, by the key rules
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Returns the key stored at {@code file}, or null if the file is not a blob of this layout. */
    private String keyOf(Path file) {
        Path relative = blobs.relativize(file);
        int n = relative.getNameCount();
        String last = relative.getFileName().toString();
        if (relative.toString().isEmpty() || !last.endsWith(SUFFIX)) {
            return null;
        }
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < n - 1; i++) {
            String dir = relative.getName(i).toString();
            if (!dir.endsWith(DIR_SUFFIX)) {
                return null;
            }
            key.append(dir, 0, dir.length() - DIR_SUFFIX.length()).append('/');
        }
        return key.append(last, 0, last.length() - SUFFIX.length()).toString();
    }

    /**
     * Fails unless {@code dir}, or its nearest existing ancestor, resolves (following any symbolic
     * links) to a place under the root; a link planted inside the root must not lead a write out.
     */
    private void requireInside(Path dir) throws IOException {
        Path existing = dir;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null || !existing.toRealPath().startsWith(root)) {
            throw new FileSystemException(dir.toString(), null,
                    "leads outside the blob store root " + root + " through a symbolic link");
        }
    }

    private void createDirectoriesInside(Path dir) throws IOException {
        requireInside(dir);
        Files.createDirectories(dir);
        requireInside(dir);
    }

    private Path uploadDir(String uploadId) {
        BlobKey.validateUploadId(uploadId);
        return inside(parts.resolve(uploadId), uploadId);
    }

    private Path partPath(String uploadId, int partNumber) {
        if (partNumber < 1) {
            throw new IllegalArgumentException("part number must be >= 1, was " + partNumber);
        }
        return uploadDir(uploadId).resolve(partNumber + ".part");
    }

    /** Defence in depth: {@link BlobKey} already forbids '..', but the path must also stay under the root. */
    private Path inside(Path path, String key) {
        Path normal = path.normalize();
        if (!normal.startsWith(root)) {
            throw new IllegalArgumentException("blob key escapes the store: " + key);
        }
        return normal;
    }

    private Path newTempFile() {
        return tmp.resolve(UUID.randomUUID() + ".tmp");
    }

    private static long writeDurably(InputStream data, Path temp) throws IOException {
        long size = 0;
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
            byte[] buffer = new byte[BUFFER];
            ByteBuffer wrapped = ByteBuffer.wrap(buffer);
            int n;
            while ((n = data.read(buffer)) != -1) {
                wrapped.clear().limit(n);
                while (wrapped.hasRemaining()) {
                    out.write(wrapped);
                }
                size += n;
            }
            out.force(true);
        }
        return size;
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // tmp/ is inside the root, so this only happens on exotic file systems
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory(to.getParent());
    }

    /** The rename is only durable once the directory entry is on disk too. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some platforms (Windows) cannot open a directory; the file itself was already forced
        }
    }

    private void pruneEmptyParents(Path dir, Path stop) {
        Path current = dir;
        while (current != null && current.startsWith(stop) && !current.equals(stop)) {
            try {
                Files.delete(current);
            } catch (IOException e) {
                return; // not empty, or gone already
            }
            current = current.getParent();
        }
    }

    private void clearTemporaryFiles() throws IOException {
        // leftovers of writes interrupted by a crash are never visible as blobs; only old ones are
        // removed, since another process or store instance may share this directory and be writing
        java.time.Instant cutoff = java.time.Instant.now().minus(java.time.Duration.ofHours(1));
        try (Stream<Path> files = Files.list(tmp)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                try {
                    if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                        Files.deleteIfExists(p);
                    }
                } catch (NoSuchFileException e) {
                    // finished meanwhile
                }
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: tmp/ is cleared at the next open
        }
    }

    @Override
    public String toString() {
        return "FileSystemBlobStore[" + root + "]";
    }
}
