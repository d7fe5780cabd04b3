package dev.aar.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.aar.jdbc.internal.SqliteFiles;
import dev.aar.queue.JobPriority;
import dev.aar.queue.JobRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14 "private by default": a new SQLite database (aar.db) and its WAL files are owner-only. */
class SqliteFilePermissionsTest {

    @TempDir
    Path dir;

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aNewDatabaseFileAndItsWalAreOwnerOnly() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path db = dir.resolve("data/aar.db");
        try (JdbcBackend backend = JdbcBackend.create("jdbc:sqlite:" + db)) {
            backend.jobQueue().enqueue(JobRequest.of("t", "{}", JobPriority.LOW));
            assertThat(mode(db)).isEqualTo("rw-------");
            assertThat(mode(dir.resolve("data"))).isEqualTo("rwx------");
            Path wal = dir.resolve("data/aar.db-wal");
            assertThat(wal).exists();
            assertThat(mode(wal)).isEqualTo("rw-------");
            assertThat(mode(dir.resolve("data/aar.db-shm"))).isEqualTo("rw-------");
        }
    }

    @Test
    void anExistingFileKeepsTheModeItsOwnerChose() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path db = Files.createFile(dir.resolve("shared.db"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
        try (JdbcBackend backend = JdbcBackend.create("jdbc:sqlite:" + db)) {
            assertThat(backend.database()).isEqualTo("sqlite");
        }
        assertThat(mode(db)).isEqualTo("rw-r-----");
    }

    @Test
    void inMemoryAndUriFormsAreUnderstood() {
        assertThat(SqliteFiles.databaseFile("jdbc:sqlite::memory:")).isEmpty();
        assertThat(SqliteFiles.databaseFile("jdbc:sqlite:")).isEmpty();
        assertThat(SqliteFiles.databaseFile("jdbc:sqlite:file::memory:?cache=shared")).isEmpty();
        assertThat(SqliteFiles.databaseFile("jdbc:sqlite:file:/x/y.db?mode=memory")).isEmpty();
        assertThat(SqliteFiles.databaseFile("jdbc:sqlite:/var/aar/aar.db?journal_mode=WAL")).contains(Path.of("/var/aar/aar.db"));
        assertThat(SqliteFiles.databaseFile("jdbc:sqlite:file:/var/aar/aar.db")).contains(Path.of("/var/aar/aar.db"));
    }
}
