package dev.aar.core.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.core.error.UploadSessionException;
import dev.aar.core.storage.FileSystemBlobStore;
import dev.aar.storage.BlobStore;
import dev.aar.storage.UploadPart;
import dev.aar.storage.UploadSession;
import dev.aar.storage.UploadSessionStore;
import dev.aar.storage.UploadStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
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

    /** A new process on the same directory and session records: the store is opened again. */
    void restart() {
        blobs.close();
        fs = FileSystemBlobStore.open(dir.resolve("store"));
        blobs = decorate(fs);
        counting = new CountingBlobStore(blobs);
        manager = builder().build();
    }

    @Test
    void partsSentBeforeARestartAreFinalizedAfterIt() {
        byte[] file = random(5 * PART + 99, 21);
        UploadSession s = manager.create(OWNER, "a.zip", file.length, sha256Hex(file));
        for (int p : List.of(6, 2, 4, 1, 3, 5)) {
            put(s, p, file);
        }

        restart();

        assertStoredEquals(manager.finalizeSession(OWNER, s.id()), file);
        assertThat(stagedParts(s)).isEmpty();
    }

    @Test
    void aPartStoredButNeverAcknowledgedIsResentAfterARestartAndTheFileIsRight() {
        byte[] file = random(4 * PART + 1, 22);
        UploadSession s = manager.create(OWNER, "a.zip", file.length, sha256Hex(file));
        put(s, 1, file);
        put(s, 3, file);
        // the bytes of part 2 reach the store, then the process dies before the part is recorded and answered
        UploadSessionStore recording = sessions;
        manager = builder().sessionStore(new DyingBeforeTheRecord(recording)).build();
        assertThatThrownBy(() -> put(s, 2, file)).isInstanceOf(IllegalStateException.class);
        assertThat(manager.status(OWNER, s.id()).missingParts()).containsExactly(2, 4, 5);

        restart();
        put(s, 5, file);
        put(s, 2, file); // the client sends again what was never answered
        put(s, 4, file);

        assertStoredEquals(manager.finalizeSession(OWNER, s.id()), file);
    }

    @Test
    void aResendWithOtherBytesAfterARestartReplacesThePart() {
        byte[] file = random(3 * PART, 23);
        byte[] other = random(3 * PART, 24);
        UploadSession s = manager.create(OWNER, "a.zip", file.length, null);
        put(s, 2, other);
        restart();
        put(s, 1, file);
        put(s, 2, file);
        put(s, 3, file);

        assertStoredEquals(manager.finalizeSession(OWNER, s.id()), file);
    }

    @Test
    void aDeclaredTerabyteIsRefusedBeforeAnythingIsWritten() throws IOException {
        assertThatThrownBy(() -> manager.create(OWNER, "huge.zip", 1L << 40, null))
                .isInstanceOfSatisfying(UploadSessionException.class,
                        e -> assertThat(e.reason()).isEqualTo(UploadSessionException.Reason.TOO_LARGE));

        try (Stream<Path> files = Files.list(fs.root().resolve("parts"))) {
            assertThat(files).isEmpty();
        }
    }

    /** A session store whose process dies when asked to record a part: the part's bytes are stored, the record is not. */
    private static final class DyingBeforeTheRecord implements UploadSessionStore {
        private final UploadSessionStore inner;

        DyingBeforeTheRecord(UploadSessionStore inner) {
            this.inner = inner;
        }

        @Override
        public void putPart(String sessionId, UploadPart part) {
            throw new IllegalStateException("the process died here");
        }

        @Override
        public void create(UploadSession session) {
            inner.create(session);
        }

        @Override
        public Optional<UploadSession> find(String sessionId) {
            return inner.find(sessionId);
        }

        @Override
        public boolean transition(String sessionId, UploadStatus from, UploadStatus to) {
            return inner.transition(sessionId, from, to);
        }

        @Override
        public List<UploadPart> parts(String sessionId) {
            return inner.parts(sessionId);
        }

        @Override
        public Optional<UploadPart> part(String sessionId, int partNumber) {
            return inner.part(sessionId, partNumber);
        }

        @Override
        public List<UploadSession> findExpired(Instant now) {
            return inner.findExpired(now);
        }

        @Override
        public List<UploadSession> findClosed(Instant expiredBy, int limit) {
            return inner.findClosed(expiredBy, limit);
        }

        @Override
        public boolean delete(String sessionId) {
            return inner.delete(sessionId);
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
