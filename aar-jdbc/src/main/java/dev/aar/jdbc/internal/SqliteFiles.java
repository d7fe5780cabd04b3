package dev.aar.jdbc.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;

/**
 * Creates a new SQLite database file owner-only (0600), and the directories it creates for it
 * 0700, before the driver would create it with whatever the umask allows (often 0644: any local
 * user could read the queue, the reports and the findings). SQLite gives its {@code -wal},
 * {@code -shm} and journal files the database file's mode, so they are owner-only too. An existing
 * file is left as it is: its mode is the host's choice. Where the file system has no POSIX
 * permissions the file is left to the driver.
 *
 * <p>A new database also gets its page size here ({@link #initialize}), since SQLite fixes it when
 * the first page is written, and in WAL mode for good.
 */
public final class SqliteFiles {

    private SqliteFiles() {
    }

    /** Returns the database file a {@code jdbc:sqlite:} URL names, or empty for an in-memory database. */
    public static Optional<Path> databaseFile(String jdbcUrl) {
        String rest = jdbcUrl.substring("jdbc:sqlite:".length());
        String lower = rest.toLowerCase(Locale.ROOT);
        if (lower.contains(":memory:") || lower.contains("mode=memory")) {
            return Optional.empty();
        }
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        }
        if (rest.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(rest));
        } catch (InvalidPathException e) {
            return Optional.empty(); // a URI form this parser does not know: the driver decides
        }
    }

    /** Creates the file {@code jdbcUrl} names, empty and owner-only, unless it exists or is in memory. */
    public static void createOwnerOnly(String jdbcUrl) throws IOException {
        Optional<Path> file = databaseFile(jdbcUrl);
        if (file.isEmpty() || Files.exists(file.get())) {
            return;
        }
        Path path = file.get().toAbsolutePath();
        if (!path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Files.createDirectories(path.getParent(),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            // SQLite treats an empty file as a new database
            Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            // another process created it meanwhile: its creator chose the mode
        }
    }

    /**
     * Gives a new database (no file yet, or an empty one) {@code pageSize}-byte pages and WAL mode,
     * which writes its first page and so fixes the page size. An existing database keeps its own:
     * SQLite cannot change the page size of a database in WAL mode. In-memory databases are left alone.
     *
     * @throws SQLException if the driver cannot open or write the file
     */
    public static void initialize(String jdbcUrl, int pageSize) throws SQLException {
        Optional<Path> file = databaseFile(jdbcUrl);
        if (file.isEmpty()) {
            return;
        }
        try {
            if (Files.exists(file.get()) && Files.size(file.get()) > 0) {
                return;
            }
        } catch (IOException e) {
            return; // unreadable here: the pool's first connection reports it
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            s.execute("PRAGMA page_size = " + pageSize);
            s.execute("PRAGMA journal_mode = WAL");
        }
    }

    /** Returns whether SQLite accepts {@code pageSize}: a power of two from 512 to 65,536. */
    public static boolean isValidPageSize(int pageSize) {
        return pageSize >= 512 && pageSize <= 65_536 && Integer.bitCount(pageSize) == 1;
    }
}
