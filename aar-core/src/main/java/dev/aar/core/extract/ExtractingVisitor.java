package dev.aar.core.extract;

import dev.aar.core.error.ArchiveRejectedException;
import dev.aar.core.error.ArchiveRejectedException.Reason;
import dev.aar.core.extract.internal.EntryContent;
import dev.aar.core.extract.internal.EntryVisitor;
import dev.aar.core.extract.internal.StorableNames;
import dev.aar.core.internal.OwnerOnly;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes each indexable file under the staging directory; binary and oversized files are skipped, and
 * so are files the file system cannot hold (a path too long, a name it refuses), instead of failing the run.
 */
final class ExtractingVisitor implements EntryVisitor {

    private static final int BUFFER = 64 * 1024;
    private static final ThreadLocal<byte[]> BUFFERS = ThreadLocal.withInitial(() -> new byte[BUFFER]);

    /** Linux's PATH_MAX less its NUL; longer paths fail to open, so they are skipped up front. */
    static final int MAX_PATH_BYTES = 4095;

    private static final Set<OpenOption> NEW_FILE = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);

    private final Path root;
    private final int rootBytes;
    private final int maxPathBytes;
    private final IndexableFileRule rule;
    private final int maxFiles;
    private final SkipLog log;
    private final long progressNanos;
    private final AtomicLong lastProgress = new AtomicLong(System.nanoTime());
    private final AtomicLong entriesDone = new AtomicLong();
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile long totalEntries = -1;
    // saves a stat per path segment per file; bounded by the number of directories in the archive
    private final Set<Path> createdDirectories = ConcurrentHashMap.newKeySet();

    /** @param maxPathBytes longest absolute path of a written file, in bytes */
    ExtractingVisitor(Path root, IndexableFileRule rule, int maxFiles, SkipLog log, long progressNanos,
            int maxPathBytes) {
        this.root = root;
        this.rootBytes = StorableNames.utf8Length(root.toString());
        this.maxPathBytes = maxPathBytes;
        this.rule = rule;
        this.maxFiles = maxFiles;
        this.log = log;
        this.progressNanos = progressNanos;
    }

    @Override
    public void started(long totalEntries) {
        this.totalEntries = totalEntries;
    }

    @Override
    public void file(String path, long declaredSize, EntryContent content) throws IOException {
        Path dest;
        try {
            dest = root.resolve(path).normalize();
        } catch (InvalidPathException e) {
            skip(path, SkipReason.UNSUPPORTED_NAME, "the file system refuses a character of the name (" + e.getReason() + ")");
            return;
        }
        if (!dest.startsWith(root) || dest.equals(root)) {
            throw new ArchiveRejectedException(Reason.PATH_TRAVERSAL, path,
                    "entry '" + path + "' would be written outside the target directory");
        }
        int pathBytes = rootBytes + 1 + StorableNames.utf8Length(path);
        if (pathBytes > maxPathBytes) {
            skip(path, SkipReason.UNSUPPORTED_NAME, "under the target directory its path would be " + pathBytes
                    + " bytes long; the file system holds at most " + maxPathBytes);
            return;
        }
        byte[] buf = BUFFERS.get();
        int head = content.readNBytes(buf, 0, IndexableFileRule.SNIFF_BYTES);
        if (content.exceededCap()) {
            tooLarge(path);
            return;
        }
        if (IndexableFileRule.isBinary(buf, head)) {
            skip(path, SkipReason.BINARY, "holds a NUL byte in its first " + IndexableFileRule.SNIFF_BYTES + " bytes");
            return;
        }
        OutputStream out;
        try {
            out = create(dest);
        } catch (FileAlreadyExistsException | NoSuchFileException e) {
            skip(path, SkipReason.PATH_CONFLICT, "another entry already uses this path or one of its directories");
            return;
        } catch (FileSystemException e) {
            if (Files.isRegularFile(dest, LinkOption.NOFOLLOW_LINKS) || isUnderAFile(dest)) {
                skip(path, SkipReason.PATH_CONFLICT, "another entry already uses this path or one of its directories");
                return;
            }
            if (refusesOnlyThisName()) {
                // the reason is the system's message without paths ("File name too long", "Invalid argument")
                skip(path, SkipReason.UNSUPPORTED_NAME, "the file system refuses the name: " + e.getReason());
                return;
            }
            throw e;
        }
        long written = head;
        try (out) {
            out.write(buf, 0, head);
            for (int r = content.read(buf, 0, BUFFER); r >= 0; r = content.read(buf, 0, BUFFER)) {
                out.write(buf, 0, r);
                written += r;
            }
        }
        if (content.exceededCap()) {
            Files.deleteIfExists(dest);
            tooLarge(path);
            return;
        }
        if (files.incrementAndGet() > maxFiles) {
            // preflight refuses such a project first; this bounds the work when extraction is called directly
            throw StreamingZipExtractor.tooManyFiles(-1, maxFiles);
        }
        bytes.addAndGet(written);
        log.written(path, dest);
        done(path);
    }

    private OutputStream create(Path dest) throws IOException {
        Path parent = dest.getParent();
        if (!parent.equals(root) && !createdDirectories.contains(parent)) {
            OwnerOnly.createDirectories(parent);
            createdDirectories.add(parent);
        }
        return OwnerOnly.newOutputStream(dest, NEW_FILE);
    }

    /**
     * After creating an entry's file failed: whether a file with a plain name can still be created,
     * so the name was the problem (too long, refused characters) and not the disk (full, read-only,
     * I/O errors), which must fail the run rather than silently drop files.
     */
    private boolean refusesOnlyThisName() {
        try {
            Files.delete(Files.createTempFile(root, ".aar-probe-", ""));
            return true;
        } catch (IOException | RuntimeException probe) {
            return false;
        }
    }

    private boolean isUnderAFile(Path dest) {
        for (Path p = dest.getParent(); p != null && p.startsWith(root) && !p.equals(root); p = p.getParent()) {
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
        }
        return false;
    }

    private void tooLarge(String path) {
        skip(path, SkipReason.TOO_LARGE, "inflates past MaxFileSizeBytes = " + rule.maxFileSizeBytes()
                + "; inflation stopped there");
    }

    private void skip(String path, SkipReason reason, String detail) {
        log.skip(path, reason, detail);
        done(path);
    }

    @Override
    public void skipped(String path, SkipReason reason, String detail) {
        skip(path, reason, detail);
    }

    @Override
    public void retract(String path, SkipReason reason, String detail) {
        Path dest = root.resolve(path).normalize();
        try {
            if (dest.startsWith(root) && Files.isRegularFile(dest, LinkOption.NOFOLLOW_LINKS)) {
                long size = Files.size(dest);
                Files.delete(dest);
                files.decrementAndGet();
                bytes.addAndGet(-size);
                log.skip(path, reason, detail);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dest, e);
        }
    }

    private void done(String path) {
        long n = entriesDone.incrementAndGet();
        long now = System.nanoTime();
        long last = lastProgress.get();
        if (now - last >= progressNanos && lastProgress.compareAndSet(last, now)) {
            log.progress(new ExtractionProgress(n, totalEntries, files.get(), bytes.get(), path));
        }
    }

    ExtractionProgress finalProgress(long entries) {
        return new ExtractionProgress(entriesDone.get(), entries, files.get(), bytes.get(), null);
    }

    long files() {
        return files.get();
    }

    long bytes() {
        return bytes.get();
    }
}
