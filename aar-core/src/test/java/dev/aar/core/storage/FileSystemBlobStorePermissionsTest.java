package dev.aar.core.storage;

import static dev.aar.core.internal.FileModes.assertOwnerOnlyTree;
import static dev.aar.core.internal.FileModes.assumePosix;
import static dev.aar.core.internal.FileModes.mode;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14 "private by default": blobs, parts, temporary files and the trash are owner-only on disk. */
class FileSystemBlobStorePermissionsTest {

    @TempDir
    Path data;

    private static ByteArrayInputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyDirectoryAndFileTheStoreCreatesIsOwnerOnly() throws IOException {
        assumePosix(data);
        Path root = data.resolve("blobs");
        try (FileSystemBlobStore store = FileSystemBlobStore.open(root)) {
            store.put("org/project/archive.zip", bytes("the customer's code"));
            store.stagePart("org/project/upload.zip", "u1", 1, bytes("part one "));
            store.stagePart("org/project/upload.zip", "u1", 2, bytes("part two"));
            store.stagePart("org/project/other.zip", "u2", 1, bytes("staged, still open"));

            // parts on disk before the commit
            assertThat(assertOwnerOnlyTree(root)).isGreaterThan(8);

            store.commitParts("org/project/upload.zip", "u1", List.of(1, 2));
            store.put("reports/r1.json", bytes("{}"));
        }
        assertThat(mode(root)).isEqualTo("rwx------");
        assertThat(assertOwnerOnlyTree(root)).isGreaterThan(8);
    }

    @Test
    void aStoreMadeByAnOlderVersionIsTightenedWhenOpened() throws IOException {
        assumePosix(data);
        Path root = data.resolve("blobs");
        var open = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String dir : List.of("", "blobs", "parts", "tmp", "trash")) {
            Files.createDirectories(root.resolve(dir), open);
        }

        FileSystemBlobStore.open(root).close();

        for (String dir : List.of("blobs", "parts", "tmp", "trash")) {
            assertThat(mode(root.resolve(dir))).as(dir).isEqualTo("rwx------");
        }
    }
}
