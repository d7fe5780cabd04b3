package dev.aar.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quick-start server's data directory, private by default: created owner-only (0700), and a
 * directory or database left open by an older version (0755, 0644) is made owner-only at start.
 * Where the file system has no POSIX permissions it is only created.
 */
final class DataDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    /** The SQLite database and the files SQLite keeps beside it. */
    private static final String[] DATABASE_FILES = {"", "-wal", "-shm", "-journal"};

    private DataDirectory() {
    }

    /** Creates {@code data} owner-only, or tightens it and the quick start's database inside it; returns it. */
    static Path prepare(Path data, String databaseFile) throws IOException {
        if (!data.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return Files.createDirectories(data);
        }
        Files.createDirectories(data, PosixFilePermissions.asFileAttribute(DIRECTORY));
        restrict(data, DIRECTORY);
        for (String suffix : DATABASE_FILES) {
            Path file = data.resolve(databaseFile + suffix);
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                restrict(file, FILE);
            }
        }
        return data;
    }

    /**
     * Creates an empty, owner-only SQLite database file (SQLite treats an empty file as a new
     * database), and the directories it needs owner-only, so the driver does not create it with the
     * umask's mode.
     */
    static void createDatabaseFile(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(parent);
            return;
        }
        Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(DIRECTORY));
        Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
    }

    private static void restrict(Path path, Set<PosixFilePermission> wanted) {
        try {
            if (!Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).equals(wanted)) {
                Files.setPosixFilePermissions(path, wanted);
                LOG.info("made {} owner-only ({})", path, PosixFilePermissions.toString(wanted));
            }
        } catch (IOException e) {
            // not ours to change (another user owns it): say so rather than refuse to start
            LOG.warn("cannot make {} owner-only; other local users may read it: {}", path, e.toString());
        }
    }
}
