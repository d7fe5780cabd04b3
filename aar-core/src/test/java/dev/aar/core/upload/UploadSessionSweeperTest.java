package dev.aar.core.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.core.memory.InMemoryUploadSessionStore;
import dev.aar.core.storage.FileSystemBlobStore;
import dev.aar.core.testing.MutableClock;
import dev.aar.storage.UploadSession;
import dev.aar.storage.UploadSessionStore;
import dev.aar.storage.UploadStatus;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweeper's options, and a session store that cannot list closed sessions. */
class UploadSessionSweeperTest {

    @TempDir
    Path dir;

    private FileSystemBlobStore files;

    @Test
    void aNegativeRetentionIsRefused() {
        UploadSessionSweeper.Builder builder = UploadSessionSweeper.builder(manager(new InMemoryUploadSessionStore(),
                new MutableClock(Instant.EPOCH)));
        assertThatThrownBy(() -> builder.closedRetention(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("closedRetention", "PT-1S");
        assertThat(builder.closedRetention(Duration.ZERO).build().closedRetention()).isZero();
    }

    @Test
    void aStoreThatCannotListClosedSessionsKeepsThemAndStillSweepsExpiredOnes() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
        UploadSessionManager manager = manager(new WithoutFindClosed(new InMemoryUploadSessionStore()), clock);
        UploadSession done = manager.create("k", "a.zip", 3, null);
        manager.putPart("k", done.id(), 1, new ByteArrayInputStream(new byte[3]), 3, null);
        manager.finalizeSession("k", done.id());
        UploadSession abandoned = manager.create("k", "b.zip", 10, null);
        UploadSessionSweeper sweeper = UploadSessionSweeper.builder(manager).clock(clock)
                .closedRetention(Duration.ZERO).build();

        clock.set(abandoned.expiresAt().plus(Duration.ofDays(30)));
        assertThat(sweeper.sweep(clock.instant())).isEqualTo(1); // the expired one; no failure for the rest
        assertThat(sweeper.sweep(clock.instant())).isZero();
        assertThat(manager.status("k", done.id()).status()).isEqualTo(UploadStatus.COMPLETED);
    }

    private UploadSessionManager manager(UploadSessionStore sessions, MutableClock clock) {
        files = FileSystemBlobStore.open(dir);
        return UploadSessionManager.builder().blobStore(files).sessionStore(sessions).clock(clock).build();
    }

    @AfterEach
    void closeStore() {
        if (files != null) {
            files.close();
        }
    }

    /** Implements only the required methods, as a third-party store written before findClosed would. */
    private record WithoutFindClosed(UploadSessionStore inner) implements UploadSessionStore {
        public void create(UploadSession session) {
            inner.create(session);
        }

        public Optional<UploadSession> find(String sessionId) {
            return inner.find(sessionId);
        }

        public boolean transition(String id, UploadStatus from, UploadStatus to) {
            return inner.transition(id, from, to);
        }

        public void putPart(String sessionId, dev.aar.storage.UploadPart part) {
            inner.putPart(sessionId, part);
        }

        public List<dev.aar.storage.UploadPart> parts(String sessionId) {
            return inner.parts(sessionId);
        }

        public List<UploadSession> findExpired(Instant now) {
            return inner.findExpired(now);
        }

        public boolean delete(String sessionId) {
            return inner.delete(sessionId);
        }
    }
}
