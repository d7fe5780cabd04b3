package dev.aar.examples.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where Jetty spools the file part of a multipart upload while it arrives: an owner-only directory
 * (0700; Jetty's spool files themselves are created 0600), under the data directory for
 * {@code aar serve}, so an archive in transit is as private as a stored one.
 */
final class SpoolDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(SpoolDirectory.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static volatile Path fallback;

    private SpoolDirectory() {
    }

    /** Creates {@code dir} owner-only, or makes an existing one owner-only; returns it. */
    static Path prepare(Path dir) {
        try {
            boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                if (!Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY)) {
                    try {
                        Files.setPosixFilePermissions(dir, OWNER_ONLY);
                    } catch (IOException e) {
                        LOG.warn("cannot make the upload spool {} owner-only; other local users may read uploads in"
                                + " transit: {}", dir, e.toString());
                    }
                }
            } else {
                Files.createDirectories(dir);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the upload spool directory " + dir, e);
        }
    }

    /** A server without a data directory (embedded, tests): a private directory of its own in java.io.tmpdir. */
    static Path fallback() {
        Path dir = fallback;
        if (dir == null) {
            synchronized (SpoolDirectory.class) {
                if (fallback == null) {
                    try {
                        fallback = Files.createTempDirectory("aar-spool-"); // 0700 where POSIX permissions exist
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot create an upload spool directory", e);
                    }
                }
                dir = fallback;
            }
        }
        return dir;
    }
}
