package dev.aar.core.storage;

import dev.aar.core.internal.OwnerOnly;
import dev.aar.core.internal.FileTrees;
import dev.aar.storage.BlobInfo;
import dev.aar.storage.BlobKey;
import dev.aar.storage.BlobRange;
import dev.aar.storage.BlobStore;
import dev.aar.storage.PartLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BlobStore} on the local file system, durable across crashes.
 *
 * <p>Every write goes to a temporary file in the store's own directory, is flushed to disk
 * ({@code fsync}), and is then renamed over the target atomically (and the directory flushed), so
 * a crash leaves either the old blob or the new one. Keys are checked by {@link BlobKey} and every
 * resolved path is checked to lie under the root, so no key can reach outside it; symbolic links
 * planted inside the root are never followed (a directory that resolves outside the root is
 * refused, a blob that is a link is not read). Parts are assembled with
 * {@link FileChannel#transferTo}, which copies in the kernel rather than through the Java heap; parts
 * staged with a {@link PartLayout} are written at their offsets of one file instead (see
 * {@link InPlaceParts}), and committing them in order renames that file: no copy at all.
 *
 * <p>Layout under the root (see {@link BlobLayout}): key {@code a/b/c} is the file
 * {@code blobs/a.d/b.d/c.blob}; parts are {@code parts/<uploadId>/<n>.part}; writes in progress
 * are in {@code tmp/}. Committing or aborting an upload renames its part directory into
 * {@code trash/} in one step and a background thread deletes the files, so neither waits for
 * thousands of unlinks; {@link #close} lets that finish, and the next open removes any leftovers.
 *
 * <p>The link checks run before each write; a process that can rewrite the root concurrently can
 * still race them, so the root must not be writable by anyone the host does not trust.
 */
public final class FileSystemBlobStore implements BlobStore {

    /**
     * How often a write re-creates its directory and retries the rename when a concurrent
     * {@link #delete} pruned that directory in between (each retry means another delete emptied it again).
     */
    static final int PLACE_ATTEMPTS = 10;

    private static final Logger log = LoggerFactory.getLogger(FileSystemBlobStore.class);

    private final BlobLayout layout;
    private final Path root;
    private final Path blobs;
    private final Path tmp;
    private final DirectorySync sync;
    private final TrashBin trash;

    private FileSystemBlobStore(Path root, DirectorySync sync) {
        this.layout = new BlobLayout(root);
        this.root = root;
        this.blobs = layout.blobs;
        this.tmp = layout.tmp;
        this.sync = sync;
        this.trash = new TrashBin(layout.trash);
    }

    /** Opens (creating if needed) a store rooted at {@code directory}. */
    public static FileSystemBlobStore open(Path directory) {
        return open(directory, DirectorySync.FSYNC);
    }

    /** Opens a store whose directory flushes go to {@code sync} (tests record them). */
    static FileSystemBlobStore open(Path directory, DirectorySync sync) {
        Objects.requireNonNull(directory, "directory");
        FileSystemBlobStore store = null;
        try {
            Path root = OwnerOnly.createDirectories(directory.toAbsolutePath().normalize()).toRealPath();
            store = new FileSystemBlobStore(root, sync);
            for (Path dir : List.of(store.layout.blobs, store.layout.parts, store.layout.tmp, store.layout.trash)) {
                OwnerOnly.createDirectories(dir);
                if (!dir.toRealPath().equals(dir)) {
                    throw new FileSystemException(dir.toString(), null, "is a symbolic link; refusing to follow it");
                }
                // a store made by an older version has 0755 directories; private from now on
                OwnerOnly.restrict(dir);
            }
            store.clearTemporaryFiles();
            store.trash.emptyLater();
        } catch (IOException e) {
            if (store != null) {
                store.trash.close();
            }
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
        Path target = layout.blobPath(key);
        try {
            return writeAndPlace(data, target);
        } catch (IOException e) {
            throw BlobStore.failure("cannot store blob " + key, e);
        }
    }

    @Override
    public Optional<InputStream> get(String key) {
        Path path = layout.blobPath(key);
        try {
            layout.requireInside(path.getParent());
            return Optional.of(Channels.newInputStream(Files.newByteChannel(path, StandardOpenOption.READ,
                    LinkOption.NOFOLLOW_LINKS)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw BlobStore.failure("cannot read blob " + key, e);
        }
    }

    /** Reads the range with positional reads of the blob's file: nothing before {@code offset} is read. */
    @Override
    public Optional<InputStream> get(String key, long offset, long length) {
        BlobRange.check(offset, length);
        Path path = layout.blobPath(key);
        FileChannel ch = null;
        try {
            layout.requireInside(path.getParent());
            ch = FileChannel.open(path, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
            ch.position(Math.min(offset, ch.size()));
            return Optional.of(BlobRange.slice(Channels.newInputStream(ch), 0, length));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            throw BlobStore.failure("cannot read blob " + key, e);
        }
    }

    @Override
    public Optional<BlobInfo> stat(String key) {
        Path path = layout.blobPath(key);
        try {
            layout.requireInside(path.getParent());
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
        Path path = layout.blobPath(key);
        try {
            layout.requireInside(path.getParent());
            boolean deleted = Files.deleteIfExists(path);
            if (deleted) {
                sync.sync(pruneEmptyParents(path.getParent(), blobs));
            }
            return deleted;
        } catch (IOException e) {
            throw BlobStore.failure("cannot delete blob " + key, e);
        }
    }

    @Override
    public List<BlobInfo> list(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        Path start = layout.listingStart(prefix);
        if (start == null) {
            return List.of();
        }
        List<BlobInfo> result = new ArrayList<>();
        try (Stream<Path> files = Files.walk(start)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String key = layout.keyOf(p);
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
        Path target = layout.partPath(uploadId, partNumber);
        try {
            return writeAndPlace(data, target);
        } catch (IOException e) {
            throw BlobStore.failure("cannot stage part " + partNumber + " of upload " + uploadId, e);
        }
    }

    /**
     * Writes the part at its offset of the upload's assembly file (see {@link InPlaceParts}), so that a
     * commit in layout order renames that file instead of copying the parts; a part re-sent after it was
     * placed, or sent twice at once, is staged as a file like {@link #stagePart(String, String, int, InputStream)}.
     */
    @Override
    public long stagePart(String key, String uploadId, int partNumber, PartLayout parts, InputStream data) {
        BlobKey.validate(key);
        long size = parts.sizeOf(partNumber);
        Path dir = layout.uploadDir(uploadId);
        try {
            layout.createDirectoriesInside(dir, sync);
            if (InPlaceParts.of(dir, parts).tryPlace(partNumber, data, sync)) {
                return size;
            }
            return writeAndPlace(data, BlobLayout.partIn(dir, partNumber));
        } catch (IOException e) {
            throw BlobStore.failure("cannot stage part " + partNumber + " of upload " + uploadId, e);
        }
    }

    @Override
    public BlobInfo commitParts(String key, String uploadId, List<Integer> partNumbers) {
        Path target = layout.blobPath(key);
        Path temp = newTempFile();
        try {
            // one upload directory for all parts: validated and checked for links once, not per part
            Path dir = layout.uploadDir(uploadId);
            layout.requireInside(dir);
            InPlaceParts assembly = InPlaceParts.find(dir);
            long total = 0;
            if (assembly != null && isLayoutOrder(partNumbers, assembly.layout())) {
                assembly.completeInOrder();
                place(assembly.file(), target);
                total = assembly.layout().totalSize();
            } else {
                total = concatenate(uploadId, dir, assembly, partNumbers, temp);
                place(temp, target);
            }
            // published: from here on nothing may fail the commit
            Instant modified = modifiedOrNow(target);
            discardCommittedParts(key, uploadId);
            return new BlobInfo(key, total, modified);
        } catch (IOException e) {
            throw BlobStore.failure("cannot commit upload " + uploadId + " as " + key, e);
        } finally {
            DurableFiles.deleteQuietly(temp);
        }
    }

    private static boolean isLayoutOrder(List<Integer> partNumbers, PartLayout parts) {
        if (partNumbers.size() != parts.partCount()) {
            return false;
        }
        for (int i = 0; i < partNumbers.size(); i++) {
            if (partNumbers.get(i) != i + 1) {
                return false;
            }
        }
        return true;
    }

    /** Copies the parts, in the order given, into {@code temp} and forces it; returns its size. */
    private static long concatenate(String uploadId, Path dir, InPlaceParts assembly, List<Integer> partNumbers, Path temp)
            throws IOException {
        long total = 0;
        try (FileChannel out = OwnerOnly.open(temp, Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING))) {
            for (int partNumber : partNumbers) {
                Path part = BlobLayout.partIn(dir, partNumber);
                try (FileChannel in = FileChannel.open(part, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                    long size = in.size();
                    long position = 0;
                    while (position < size) {
                        position += in.transferTo(position, size - position, out);
                    }
                    total += size;
                } catch (NoSuchFileException e) {
                    if (assembly == null || partNumber > assembly.layout().partCount() || !assembly.isPlaced(partNumber)) {
                        throw new NoSuchFileException("part " + partNumber + " of upload " + uploadId + " was never staged");
                    }
                    assembly.appendPlaced(partNumber, out);
                    total += assembly.layout().sizeOf(partNumber);
                }
            }
            out.force(true);
        }
        return total;
    }

    @Override
    public void abortParts(String key, String uploadId) {
        Path dir = layout.uploadDir(uploadId);
        try {
            layout.requireInside(dir);
        } catch (IOException e) {
            throw BlobStore.failure("cannot abort upload " + uploadId, e);
        }
        try {
            trash.discard(dir, sync);
            return;
        } catch (IOException e) {
            log.warn("cannot move the parts of upload {} aside ({}); deleting them in place", uploadId, e.toString());
        }
        deleteInPlace(uploadId, dir);
    }

    /** The slow way, one unlink at a time on the caller's thread: only when the rename into the trash failed. */
    private void deleteInPlace(String uploadId, Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (DirectoryNotEmptyException e) {
            // a part was staged concurrently with the abort; the next abort or sweep removes it
        } catch (IOException e) {
            throw BlobStore.failure("cannot abort upload " + uploadId, e);
        }
    }

    /**
     * After a commit the blob is published, so nothing here may fail the call: a part directory that
     * cannot be moved aside is logged and deleted in the background instead.
     */
    private void discardCommittedParts(String key, String uploadId) {
        Path dir = layout.uploadDir(uploadId);
        try {
            trash.discard(dir, sync);
        } catch (IOException | RuntimeException e) {
            log.warn("upload {} was committed as {}, but its parts could not be moved aside ({}); deleting them"
                    + " in the background", uploadId, key, e.toString());
            trash.deleteLater(dir);
        }
    }

    /** The blob's modification time, or now if a concurrent delete already removed it again. */
    private static Instant modifiedOrNow(Path blob) {
        try {
            return Files.getLastModifiedTime(blob, LinkOption.NOFOLLOW_LINKS).toInstant();
        } catch (IOException e) {
            return Instant.now();
        }
    }

    /** Writes {@code data} durably to a temporary file and renames it to {@code target}; returns its size. */
    private long writeAndPlace(InputStream data, Path target) throws IOException {
        Path temp = newTempFile();
        try {
            long size = DurableFiles.writeDurably(data, temp);
            place(temp, target);
            return size;
        } finally {
            DurableFiles.deleteQuietly(temp); // gone already once placed; removes what a failed stream left
        }
    }

    /**
     * Renames {@code temp} to {@code target}, creating the directories on the way. A concurrent
     * {@link #delete} of a sibling prunes directories it emptied, possibly between the creation and
     * the rename; the rename then finds no directory, and is retried.
     */
    private void place(Path temp, Path target) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                layout.createDirectoriesInside(target.getParent(), sync);
                DurableFiles.moveAtomically(temp, target, sync);
                return;
            } catch (NoSuchFileException e) {
                if (attempt >= PLACE_ATTEMPTS || !Files.exists(temp, LinkOption.NOFOLLOW_LINKS)) {
                    throw e;
                }
            }
        }
    }

    /** Waits until the background deletion of discarded parts has caught up (tests). */
    void awaitTrashEmptied() throws InterruptedException {
        trash.awaitIdle();
    }

    /** Lets pending deletions of discarded parts finish (bounded); what is left goes at the next open. */
    @Override
    public void close() {
        trash.close();
    }

    private Path newTempFile() {
        return tmp.resolve(UUID.randomUUID() + ".tmp");
    }

    /** Removes {@code dir} and its ancestors below {@code stop} while they are empty; returns the first one kept. */
    private static Path pruneEmptyParents(Path dir, Path stop) {
        Path current = dir;
        while (current != null && current.startsWith(stop) && !current.equals(stop)) {
            try {
                Files.delete(current);
            } catch (IOException e) {
                return current; // not empty, or gone already
            }
            current = current.getParent();
        }
        return stop;
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

    @Override
    public String toString() {
        return "FileSystemBlobStore[" + root + "]";
    }
}
