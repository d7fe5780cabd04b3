package dev.aar.core.storage;

import dev.aar.core.internal.OwnerOnly;
import dev.aar.storage.BlobKey;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Where {@link FileSystemBlobStore} keeps each key and part, and the checks that keep every path under
 * the root. Key {@code a/b/c} is {@code blobs/a.d/b.d/c.blob}: directories and files carry different
 * suffixes, so no two valid keys ({@code a}, {@code a/b}, {@code a.blob/b}, ...) share a path.
 */
final class BlobLayout {

    static final String SUFFIX = ".blob";
    static final String DIR_SUFFIX = ".d";

    final Path root;
    final Path blobs;
    final Path parts;
    final Path tmp;
    final Path trash;

    /** {@code root} must be a real path (no symbolic links in it), so that containment checks compare like with like. */
    BlobLayout(Path root) {
        this.root = root;
        this.blobs = root.resolve("blobs");
        this.parts = root.resolve("parts");
        this.tmp = root.resolve("tmp");
        this.trash = root.resolve("trash");
    }

    Path blobPath(String key) {
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
    Path listingStart(String prefix) {
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
    String keyOf(Path file) {
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
    void requireInside(Path dir) throws IOException {
        Path existing = dir;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null || !existing.toRealPath().startsWith(root)) {
            throw new FileSystemException(dir.toString(), null,
                    "leads outside the blob store root " + root + " through a symbolic link");
        }
    }

    /**
     * Creates {@code dir} and its missing parents, flushing each parent that gained an entry, so a
     * blob renamed into a new directory survives a crash along with the directories leading to it.
     */
    void createDirectoriesInside(Path dir, DirectorySync sync) throws IOException {
        requireInside(dir);
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = dir; p != null && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) {
            missing.push(p);
        }
        for (Path p : missing) {
            try {
                OwnerOnly.createDirectory(p);
                sync.sync(p.getParent());
            } catch (FileAlreadyExistsException e) {
                // one snapshot of what is there now: two separate checks could see a directory that a
                // concurrent delete pruned and a concurrent write re-created in between
                BasicFileAttributes there;
                try {
                    there = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException gone) {
                    // created and pruned again by a concurrent delete: the caller retries
                    throw new NoSuchFileException(p.toString(), null, "removed while it was being created");
                }
                if (!there.isDirectory()) {
                    throw e; // a file or a link where a directory must be
                }
                // created concurrently; its creator may not have flushed the parent yet, and this
                // caller's write must not return before that is durable
                sync.sync(p.getParent());
            }
        }
        if (!missing.isEmpty()) {
            requireInside(dir); // what was just created (or found created) must still lead inside
        }
    }

    Path uploadDir(String uploadId) {
        BlobKey.validateUploadId(uploadId);
        return inside(parts.resolve(uploadId), uploadId);
    }

    Path partPath(String uploadId, int partNumber) {
        return partIn(uploadDir(uploadId), partNumber);
    }

    /** Part {@code partNumber}'s file in an upload directory from {@link #uploadDir}. */
    static Path partIn(Path uploadDir, int partNumber) {
        if (partNumber < 1) {
            throw new IllegalArgumentException("part number must be >= 1, was " + partNumber);
        }
        return uploadDir.resolve(partNumber + ".part");
    }

    /** Defence in depth: {@link BlobKey} already forbids '..', but the path must also stay under the root. */
    private Path inside(Path path, String key) {
        Path normal = path.normalize();
        if (!normal.startsWith(root)) {
            throw new IllegalArgumentException("blob key escapes the store: " + key);
        }
        return normal;
    }
}
