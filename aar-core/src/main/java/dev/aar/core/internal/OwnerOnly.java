package dev.aar.core.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates files and directories only their owner can read: directories {@code rwx------} (0700),
 * files {@code rw-------} (0600), set atomically at creation so there is no moment another local
 * user could open them. Where the file system has no POSIX permissions (Windows, some mounts) the
 * calls create plainly and the directory's own access rules apply.
 */
public final class OwnerOnly {

    /** {@code rwx------}. */
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    /** {@code rw-------}. */
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private static final Logger LOG = LoggerFactory.getLogger(OwnerOnly.class);
    private static final FileAttribute<?>[] NONE = new FileAttribute<?>[0];
    private static final FileAttribute<?>[] DIRECTORY_ATTRS = {PosixFilePermissions.asFileAttribute(DIRECTORY)};
    private static final FileAttribute<?>[] FILE_ATTRS = {PosixFilePermissions.asFileAttribute(FILE)};

    private OwnerOnly() {
    }

    /** Returns whether {@code path}'s file system has POSIX permissions. */
    public static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** The attributes that make a new directory owner-only on {@code path}'s file system (none where unsupported). */
    public static FileAttribute<?>[] directoryAttributes(Path path) {
        return isPosix(path) ? DIRECTORY_ATTRS.clone() : NONE;
    }

    /** The attributes that make a new file owner-only on {@code path}'s file system (none where unsupported). */
    public static FileAttribute<?>[] fileAttributes(Path path) {
        return isPosix(path) ? FILE_ATTRS.clone() : NONE;
    }

    /** Creates {@code dir} and its missing parents, each one it creates owner-only; existing ones are left as they are. */
    public static Path createDirectories(Path dir) throws IOException {
        return Files.createDirectories(dir, directoryAttributes(dir));
    }

    /** Creates the directory {@code dir} owner-only; fails if it exists. */
    public static Path createDirectory(Path dir) throws IOException {
        return Files.createDirectory(dir, directoryAttributes(dir));
    }

    /** Opens {@code file} with {@code options}; if the call creates it, it is created owner-only. */
    public static FileChannel open(Path file, Set<? extends OpenOption> options) throws IOException {
        return FileChannel.open(file, options, fileAttributes(file));
    }

    /** Opens an output stream on {@code file} with {@code options}; if the call creates it, it is created owner-only. */
    public static OutputStream newOutputStream(Path file, Set<? extends OpenOption> options) throws IOException {
        return Channels.newOutputStream(Files.newByteChannel(file, options, fileAttributes(file)));
    }

    /**
     * Makes an existing file or directory owner-only (a data directory made by an older version, or
     * before these rules); links are not followed. Does nothing where POSIX permissions are
     * unsupported; where the mode cannot be changed (another user owns the file) it logs a warning and
     * leaves it, since refusing to start over it would help nobody.
     */
    public static void restrict(Path path) {
        if (!isPosix(path) || Files.isSymbolicLink(path)) {
            return;
        }
        try {
            boolean directory = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
            Set<PosixFilePermission> wanted = directory ? DIRECTORY : FILE;
            if (!Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).equals(wanted)) {
                Files.setPosixFilePermissions(path, wanted);
                LOG.info("made {} owner-only ({})", path, PosixFilePermissions.toString(wanted));
            }
        } catch (IOException e) {
            LOG.warn("cannot make {} owner-only; other local users may read it: {}", path, e.toString());
        }
    }
}
