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
}
