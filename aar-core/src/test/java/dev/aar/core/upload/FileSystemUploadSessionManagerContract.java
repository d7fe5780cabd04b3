package dev.aar.core.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.storage.FileSystemBlobStore;
import dev.aar.storage.BlobStore;
import dev.aar.storage.UploadSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/** The upload kit on a real {@link FileSystemBlobStore}; subclasses decide what sits between the manager and it. */
abstract class FileSystemUploadSessionManagerContract extends UploadSessionManagerContract {

    @TempDir
    Path dir;

    FileSystemBlobStore fs;

    /** Returns what the manager writes to, built over {@code fs}. */
    abstract BlobStore decorate(FileSystemBlobStore fs);

    @Override
    protected BlobStore createBlobStore() {
        fs = FileSystemBlobStore.open(dir.resolve("store"));
        return decorate(fs);
    }

    @Override
    protected List<Integer> stagedParts(UploadSession s) {
        Path parts = fs.root().resolve("parts").resolve(s.id());
        if (!Files.isDirectory(parts)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(parts)) {
            // a part is staged as "<n>.part" or written in place into the assembly file and marked "<n>.placed"
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".part") || name.endsWith(".placed"))
                    .map(name -> Integer.parseInt(name.substring(0, name.indexOf('.'))))
                    .distinct().sorted().toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    protected void assertNoPartialWrites() {
        try (Stream<Path> files = Files.list(fs.root().resolve("tmp"))) {
            assertThat(files).isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
