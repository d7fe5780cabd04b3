package dev.aar.core.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.aar.storage.BlobStore;
import dev.aar.storage.BlobStoreContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The blob store kit, plus what only a file system can get wrong: writes that leave the root. */
class FileSystemBlobStoreTest extends BlobStoreContract {

    @TempDir
    Path sandbox;

    private Path root;
    private Path outside;

    @Override
    protected BlobStore createStore() throws IOException {
        root = sandbox.resolve("store");
        outside = Files.createDirectories(sandbox.resolve("outside"));
        return FileSystemBlobStore.open(root);
    }

    @Test
    void hostileKeysNeverWriteOutsideTheRoot() throws IOException {
        List<String> hostile = List.of("../outside/x", "../../x", "/tmp/x", "..\\outside\\x", "a/../../outside/x",
                "%2e%2e/x", "a/./../x", "outside/../../x", "x\u0000y");
        for (String key : hostile) {
            catchThrowable(() -> store.put(key, bytes("pwned")));
            catchThrowable(() -> store.stagePart("k", key, 1, bytes("pwned")));
            catchThrowable(() -> store.stagePart(key, "u1", 1, bytes("pwned")));
        }

        assertThat(filesOutside(root)).isEmpty();
    }

    @Test
    void aSymlinkedDirectoryInsideTheRootIsNotFollowedByWrites() throws IOException {
        store.put("a/first", bytes("inside"));
        Path dir = root.resolve("blobs/a.d");
        deleteTree(dir);
        Files.createSymbolicLink(dir, outside);
        Files.writeString(outside.resolve("victim.blob"), "outside data");

        assertThatThrownBy(() -> store.put("a/second", bytes("pwned"))).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("outside the blob store root");
        assertThatThrownBy(() -> store.put("a/deeper/third", bytes("pwned"))).isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> store.delete("a/victim")).isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> store.get("a/victim")).isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> store.stat("a/victim")).isInstanceOf(UncheckedIOException.class);

        try (Stream<Path> files = Files.list(outside)) {
            assertThat(files).containsExactly(outside.resolve("victim.blob"));
        }
        assertThat(Files.readString(outside.resolve("victim.blob"))).isEqualTo("outside data");
        assertThat(store.list("")).isEmpty();
    }

    @Test
    void aSymlinkedBlobIsNeitherReadNorListedAndPutReplacesOnlyTheLink() throws IOException {
        Path secret = Files.writeString(outside.resolve("secret.txt"), "outside secret");
        Files.createSymbolicLink(root.resolve("blobs/leak.blob"), secret);

        assertThatThrownBy(() -> store.get("leak")).isInstanceOf(UncheckedIOException.class);
        assertThat(store.stat("leak")).isEmpty();
        assertThat(store.list("")).isEmpty();

        store.put("leak", bytes("replaced"));

        assertThat(read("leak")).isEqualTo("replaced");
        assertThat(Files.readString(secret)).isEqualTo("outside secret");
    }

    @Test
    void aSymlinkedUploadDirectoryIsNotFollowed() throws IOException {
        Files.createSymbolicLink(root.resolve("parts/u1"), outside);

        assertThatThrownBy(() -> store.stagePart("k", "u1", 1, bytes("pwned"))).isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> store.commitParts("k", "u1", List.of(1))).isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> store.abortParts("k", "u1")).isInstanceOf(UncheckedIOException.class);

        assertThat(filesOutside(root)).isEmpty();
        assertThat(store.exists("k")).isFalse();
    }

    @Test
    void aStoreWhoseWorkingDirectoryIsASymlinkDoesNotOpen() throws IOException {
        Path other = sandbox.resolve("other");
        Files.createDirectories(other);
        Files.createSymbolicLink(other.resolve("tmp"), outside);

        assertThatThrownBy(() -> FileSystemBlobStore.open(other)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("symbolic link");
    }

    @Test
    void aRootReachedThroughASymlinkWorks() throws IOException {
        Path link = Files.createSymbolicLink(sandbox.resolve("link-to-store"), root);

        try (FileSystemBlobStore viaLink = FileSystemBlobStore.open(link)) {
            viaLink.put("k", bytes("via link"));
            assertThat(viaLink.root()).isEqualTo(root.toRealPath());
        }
        assertThat(read("k")).isEqualTo("via link");
    }

    @Test
    void foreignFilesUnderTheRootAreIgnored() throws IOException {
        Files.writeString(root.resolve("blobs/README"), "not a blob");
        Files.createDirectories(root.resolve("blobs/plain-dir"));
        Files.writeString(root.resolve("blobs/plain-dir/x.blob"), "not in the layout");

        assertThat(store.list("")).isEmpty();
    }

    @Test
    void noTemporaryFileIsLeftBehind() throws IOException {
        store.put("k", bytes("v"));
        catchThrowable(() -> store.put("k", failingAfter(1000, new IOException("dropped"))));
        store.stagePart("k", "u1", 1, bytes("p"));
        store.commitParts("k", "u1", List.of(1));

        try (Stream<Path> tmp = Files.list(root.resolve("tmp"))) {
            assertThat(tmp).isEmpty();
        }
        assertThat(Files.readString(root.resolve("blobs/k.blob"), UTF_8)).isEqualTo("p");
    }

    /** Regular files anywhere in the sandbox except under {@code root} and the planted victims. */
    private List<Path> filesOutside(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(sandbox)) {
            return all.filter(Files::isRegularFile).filter(p -> !p.startsWith(root)).toList();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
