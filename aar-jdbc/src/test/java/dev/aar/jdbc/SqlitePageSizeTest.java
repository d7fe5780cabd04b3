package dev.aar.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.embedding.EmbeddedChunk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A new SQLite database gets the builder's page size; an existing one keeps the size it was made with. */
class SqlitePageSizeTest {

    @TempDir
    Path dir;

    private static int pragma(Path db, String name) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static EmbeddedChunk chunk(int i) {
        float[] vector = new float[1536];
        vector[i] = 1; // one direction per chunk: search tells them apart
        return new EmbeddedChunk("p", "c" + i, "m", "hash" + i, "F.java", 1, 2, "text " + i, vector);
    }

    @Test
    void aNewDatabaseGetsTheDefaultPageSizeAndKeepsWorking() throws SQLException {
        Path db = dir.resolve("index.db");
        try (JdbcBackend backend = JdbcBackend.create("jdbc:sqlite:" + db)) {
            backend.embeddingStore().upsert(List.of(chunk(1), chunk(2)));
            assertThat(backend.embeddingStore().search("p", chunk(2).vector(), 1))
                    .singleElement().satisfies(hit -> assertThat(hit.chunk().chunkId()).isEqualTo("c2"));
        }
        assertThat(pragma(db, "page_size")).isEqualTo(JdbcBackend.DEFAULT_SQLITE_PAGE_SIZE).isEqualTo(65_536);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                ResultSet rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
        }
    }

    @Test
    void theBuilderChoosesThePageSizeOfANewDatabase() throws SQLException {
        Path db = dir.resolve("queue.db");
        try (JdbcBackend backend = JdbcBackend.builder().jdbcUrl("jdbc:sqlite:" + db).sqlitePageSize(4096).build()) {
            assertThat(backend.schemaVersion()).isEqualTo(backend.latestVersion());
        }
        assertThat(pragma(db, "page_size")).isEqualTo(4096);
    }

    @Test
    void anEmptyFileIsANewDatabase() throws Exception {
        Path db = Files.createFile(dir.resolve("empty.db"));
        try (JdbcBackend backend = JdbcBackend.builder().jdbcUrl("jdbc:sqlite:" + db).sqlitePageSize(8192).build()) {
            assertThat(backend.database()).isEqualTo("sqlite");
        }
        assertThat(pragma(db, "page_size")).isEqualTo(8192);
    }

    @Test
    void anExistingDatabaseKeepsItsPageSizeAndItsRows() throws SQLException {
        Path db = dir.resolve("old.db");
        try (JdbcBackend backend = JdbcBackend.builder().jdbcUrl("jdbc:sqlite:" + db).sqlitePageSize(4096).build()) {
            backend.embeddingStore().upsert(List.of(chunk(1)));
        }
        try (JdbcBackend backend = JdbcBackend.builder().jdbcUrl("jdbc:sqlite:" + db).sqlitePageSize(65_536).build()) {
            assertThat(backend.embeddingStore().count("p")).isEqualTo(1);
        }
        assertThat(pragma(db, "page_size")).isEqualTo(4096);
    }

    @Test
    void anInMemoryDatabaseIsLeftToTheDriver() {
        try (JdbcBackend backend = JdbcBackend.builder().jdbcUrl("jdbc:sqlite:file:mem1?mode=memory&cache=shared")
                .build()) {
            assertThat(backend.database()).isEqualTo("sqlite");
        }
    }

    @Test
    void pageSizesSqliteRefusesAreRefusedHere() {
        for (int bad : new int[] {0, 256, 1000, 3000, 131_072, -4096}) {
            assertThatThrownBy(() -> JdbcBackend.builder().sqlitePageSize(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("power of two from 512 to 65536")
                    .hasMessageContaining(Integer.toString(bad));
        }
        for (int good : new int[] {512, 1024, 4096, 65_536}) {
            assertThat(JdbcBackend.builder().sqlitePageSize(good)).isNotNull();
        }
    }
}
