package dev.aar.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.storage.FileSystemBlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker killed while it wrote the workspace's marker left it empty or cut off; the next attempt (on
 * this node after a restart) extracts the sources again instead of failing on the marker every time.
 */
class WorkspaceInterruptedTest {

    @TempDir
    Path dir;
    FileSystemBlobStore blobs;

    @BeforeEach
    void open() throws IOException {
        blobs = FileSystemBlobStore.open(dir.resolve("store"));
        blobs.put("archives/p1.zip", new ByteArrayInputStream(WorkspaceSeekableArchiveTest.zip(30)));
    }

    @AfterEach
    void close() {
        blobs.close();
    }

    private Workspace.Extracted extract() {
        return WorkspaceSeekableArchiveTest.extract(dir.resolve("work"), blobs, "archives/p1.zip", "job-1");
    }

    @Test
    void anEmptyMarkerMeansExtractingAgain() throws IOException {
        Workspace.Extracted first = extract();
        Path marker = dir.resolve("work/job-1/extracted.json");
        Files.write(marker, new byte[0]); // created, killed before a byte was written

        Workspace.Extracted again = extract();

        assertThat(again.files()).isEqualTo(first.files()).isEqualTo(30); // the random-bytes entry is skipped
        assertThat(again.sources().resolve("src/F7.java")).content(StandardCharsets.UTF_8)
                .isEqualTo(WorkspaceSeekableArchiveTest.body(7));
        assertThat(marker).content().startsWith("{");
        assertThat(extract().files()).as("the new marker is read").isEqualTo(30);
    }

    @Test
    void aCutOffMarkerMeansExtractingAgain() throws IOException {
        extract();
        Path marker = dir.resolve("work/job-1/extracted.json");
        String whole = Files.readString(marker);
        Files.writeString(marker, whole.substring(0, whole.length() / 2));

        assertThat(extract().files()).isEqualTo(30);
        assertThat(marker).content().isEqualTo(whole);
    }

    @Test
    void theMarkerAndTheOrderAppearWholeAndLeaveNoTemporaryFiles() throws IOException {
        extract();
        try (Stream<Path> files = Files.list(dir.resolve("work/job-1"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("src", "files.json", "extracted.json");
        }
        assertThat(dir.resolve("work/job-1/files.json")).content().startsWith("[").endsWith("]");
    }
}
