package dev.aar.core.storage;

import dev.aar.core.internal.OwnerOnly;
import dev.aar.storage.PartLayout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The parts of one upload written at their offsets of the file being assembled, so that committing
 * them in order is a rename rather than a copy.
 *
 * <p>In the upload's directory: {@code <totalSize>x<partSize>.assembly} (the file, named after its
 * {@link PartLayout}), {@code <n>.placed} once part n's region holds all its bytes and is on disk,
 * and {@code <n>.part} (as for plain staging) when a part is re-sent after it was placed, or while
 * another write of the same part holds its region. A region is only ever written while its
 * {@code .placed} marker is absent and under a lock on the region, so a write that fails half-way
 * never damages bytes that were acknowledged; the commit copies the few {@code .part} files over their
 * regions. Nothing is reserved ahead: the file grows as parts land (holes are sparse), never past
 * {@code totalSize}, and the caller (the upload manager) bounds {@code totalSize} before any part
 * is sent.
 */
final class InPlaceParts {

    static final String ASSEMBLY_SUFFIX = ".assembly";
    static final String PLACED_SUFFIX = ".placed";
    private static final int BUFFER = 256 * 1024;

    private final Path dir;
    private final PartLayout layout;
    private final Path file;

    private InPlaceParts(Path dir, PartLayout layout) {
        this.dir = dir;
        this.layout = layout;
        this.file = dir.resolve(layout.totalSize() + "x" + layout.partSize() + ASSEMBLY_SUFFIX);
    }

    /** The in-place parts of the upload in {@code dir} with {@code layout}. */
    static InPlaceParts of(Path dir, PartLayout layout) {
        return new InPlaceParts(dir, layout);
    }

    /**
     * Finds the assembly in an upload directory, or null if its parts were all staged as files.
     *
     * @throws FileSystemException if parts were staged with two different layouts
     */
    static InPlaceParts find(Path dir) throws IOException {
        List<PartLayout> layouts = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                if (name.endsWith(ASSEMBLY_SUFFIX)) {
                    layouts.add(parse(p, name.substring(0, name.length() - ASSEMBLY_SUFFIX.length())));
                }
            }
        } catch (NoSuchFileException e) {
            return null;
        }
        if (layouts.size() > 1) {
            throw new FileSystemException(dir.getFileName().toString(), null, "parts were staged with different layouts: "
                    + layouts);
        }
        return layouts.isEmpty() ? null : new InPlaceParts(dir, layouts.get(0));
    }

    private static PartLayout parse(Path p, String name) throws IOException {
        int x = name.indexOf('x');
        try {
            return new PartLayout(Long.parseLong(name.substring(0, x)), Long.parseLong(name.substring(x + 1)));
        } catch (RuntimeException e) {
            throw new FileSystemException(p.getFileName().toString(), null, "is not an assembly of this store");
        }
    }

    PartLayout layout() {
        return layout;
    }

    Path file() {
        return file;
    }

    /**
     * Writes part {@code partNumber} into its region and marks it placed, if the region is free: not
     * placed before and not being written by another caller. Returns false, having read nothing, when
     * it is not; the caller then stages the part as a file.
     *
     * @throws IllegalArgumentException if {@code data} is longer or shorter than the part (nothing is marked)
     */
    boolean tryPlace(int partNumber, InputStream data, DirectorySync sync) throws IOException {
        long offset = layout.offsetOf(partNumber);
        long size = layout.sizeOf(partNumber);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            requireNoOtherLayout();
        }
        try (FileChannel out = OwnerOnly.open(file, Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                LinkOption.NOFOLLOW_LINKS))) {
            FileLock lock = tryLock(out, offset, size);
            if (lock == null) {
                return false;
            }
            try (lock) {
                // checked under the lock: a placed region holds acknowledged bytes and is never written again
                if (Files.exists(placed(partNumber), LinkOption.NOFOLLOW_LINKS)) {
                    return false;
                }
                writeRegion(out, offset, size, partNumber, data);
                out.force(false);
                try {
                    OwnerOnly.open(placed(partNumber), Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)).close();
                } catch (FileAlreadyExistsException e) {
                    // placed by another process between our check and now; the bytes are the same part's
                }
                // an older copy staged as a file (while a failed write held the region) would win at the commit
                Files.deleteIfExists(BlobLayout.partIn(dir, partNumber));
                sync.sync(dir);
            }
        }
        return true;
    }

    /**
     * Locks the region against other writers of the same part, in this process or another; null if one
     * holds it, or if the file system has no locks (then every part is staged as a file, and the commit
     * copies them as it did before parts were placed).
     */
    private static FileLock tryLock(FileChannel out, long offset, long size) {
        try {
            return out.tryLock(offset, size, false);
        } catch (OverlappingFileLockException e) {
            return null; // this JVM is writing the same part right now
        } catch (IOException e) {
            return null; // e.g. "no locks available" on some network file systems
        }
    }

    /** Refuses a second layout for one upload before its file is created (a later check is the commit's). */
    private void requireNoOtherLayout() throws IOException {
        InPlaceParts existing = find(dir);
        if (existing != null && !existing.layout.equals(layout)) {
            throw new IllegalArgumentException("the upload's parts were staged with " + existing.layout + ", not "
                    + layout);
        }
    }

    /** Copies {@code data} to {@code [offset, offset + size)}, never past it, and refuses any other length. */
    private static void writeRegion(FileChannel out, long offset, long size, int partNumber, InputStream data)
            throws IOException {
        byte[] buffer = new byte[(int) Math.min(BUFFER, size)];
        ByteBuffer wrapped = ByteBuffer.wrap(buffer);
        long written = 0;
        while (written < size) {
            // a socket hands over a few KiB per read: fill the buffer first, so the file sees one write per buffer
            int want = (int) Math.min(buffer.length, size - written);
            int n = 0;
            while (n < want) {
                int r = data.read(buffer, n, want - n);
                if (r < 0) {
                    throw new IllegalArgumentException("part " + partNumber + " ended after " + (written + n)
                            + " bytes; it must be " + size + " bytes");
                }
                n += r;
            }
            wrapped.clear().limit(n);
            long position = offset + written;
            while (wrapped.hasRemaining()) {
                position += out.write(wrapped, position);
            }
            written += n;
        }
        if (data.read() != -1) {
            throw new IllegalArgumentException("part " + partNumber + " is longer than its " + size + " bytes");
        }
    }

    /** Whether part {@code partNumber} was placed in its region. */
    boolean isPlaced(int partNumber) {
        return Files.exists(placed(partNumber), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Makes the file whole for a commit in layout order: copies each part that was staged as a file over
     * its region and forces what changed; fails if a part is neither placed nor staged.
     */
    void completeInOrder() throws IOException {
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            boolean patched = false;
            for (int n = 1; n <= layout.partCount(); n++) {
                Path staged = BlobLayout.partIn(dir, n);
                if (Files.exists(staged, LinkOption.NOFOLLOW_LINKS)) {
                    copyInto(out, staged, n);
                    patched = true;
                } else if (!isPlaced(n)) {
                    throw new NoSuchFileException("part " + n + " of upload " + dir.getFileName() + " was never staged");
                }
            }
            if (out.size() != layout.totalSize()) {
                throw new FileSystemException(dir.getFileName().toString(), null, "assembled " + out.size()
                        + " bytes where " + layout.totalSize() + " were expected");
            }
            if (patched) {
                out.force(false);
            }
        }
    }

    private void copyInto(FileChannel out, Path staged, int partNumber) throws IOException {
        long offset = layout.offsetOf(partNumber);
        long size = layout.sizeOf(partNumber);
        try (FileChannel in = FileChannel.open(staged, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            if (in.size() != size) {
                throw new FileSystemException(staged.getFileName().toString(), null, "holds " + in.size()
                        + " bytes where part " + partNumber + " has " + size);
            }
            if (out.size() < offset) {
                // transferFrom writes nothing at a position past the end; one byte extends the file (sparse)
                out.write(ByteBuffer.wrap(new byte[1]), offset);
            }
            for (long done = 0; done < size; ) {
                done += progress(out.transferFrom(in.position(done), offset + done, size - done), partNumber);
            }
        }
    }

    /** Copies the bytes of placed part {@code partNumber} to the end of {@code target} (commits in another order). */
    void appendPlaced(int partNumber, FileChannel target) throws IOException {
        long offset = layout.offsetOf(partNumber);
        long size = layout.sizeOf(partNumber);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            for (long done = 0; done < size; ) {
                done += progress(in.transferTo(offset + done, size - done, target), partNumber);
            }
        }
    }

    /** A copy that moves nothing means a file shorter than its layout says: fail rather than spin. */
    private long progress(long copied, int partNumber) throws IOException {
        if (copied <= 0) {
            throw new FileSystemException(file.getFileName().toString(), null, "ends before part " + partNumber
                    + " of upload " + dir.getFileName() + " does");
        }
        return copied;
    }

    private Path placed(int partNumber) {
        return dir.resolve(partNumber + PLACED_SUFFIX);
    }
}
