package dev.aar.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.core.storage.FileSystemBlobStore;
import dev.aar.storage.BlobInfo;
import dev.aar.storage.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResilientBlobStoreTest {

    private static final PipelineConfig FAST = BlobStoragePipeline.config().toBuilder()
            .initialBackoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(5)).attemptTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    /** A real file-system store whose every operation fails {@code failures} times before working. */
    private static final class Flaky implements BlobStore {
        final BlobStore real;
        final int failures;
        final AtomicInteger calls = new AtomicInteger();

        Flaky(BlobStore real, int failures) {
            this.real = real;
            this.failures = failures;
        }

        private void maybeFail() {
            if (calls.incrementAndGet() <= failures) {
                throw new UncheckedIOException(new IOException("connection reset"));
            }
        }

        @Override
        public long put(String key, InputStream data) {
            maybeFail();
            return real.put(key, data);
        }

        @Override
        public Optional<InputStream> get(String key) {
            maybeFail();
            return real.get(key);
        }

        @Override
        public Optional<BlobInfo> stat(String key) {
            maybeFail();
            return real.stat(key);
        }

        @Override
        public boolean delete(String key) {
            maybeFail();
            return real.delete(key);
        }

        @Override
        public List<BlobInfo> list(String prefix) {
            maybeFail();
            return real.list(prefix);
        }

        @Override
        public long stagePart(String key, String uploadId, int partNumber, InputStream data) {
            maybeFail();
            return real.stagePart(key, uploadId, partNumber, data);
        }

        @Override
        public BlobInfo commitParts(String key, String uploadId, List<Integer> partNumbers) {
            maybeFail();
            return real.commitParts(key, uploadId, partNumbers);
        }

        @Override
        public void abortParts(String key, String uploadId) {
            maybeFail();
            real.abortParts(key, uploadId);
        }
    }

    private static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void repeatableOperationsAreRetried() throws IOException {
        BlobStore real = FileSystemBlobStore.open(dir);
        real.put("a/b.txt", bytes("hello"));
        Flaky flaky = new Flaky(real, 3);
        ResilientBlobStore store = ResilientBlobStore.wrap(flaky, FAST, null);

        try (InputStream in = store.get("a/b.txt").orElseThrow()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
        }
        assertThat(flaky.calls).hasValue(4);
        assertThat(store.list("a/")).extracting(BlobInfo::key).containsExactly("a/b.txt");
        assertThat(store.stat("a/b.txt")).isPresent();
        store.close();
    }

    @Test
    void aStreamPutIsAttemptedOnceButASourcePutIsRetried() throws IOException {
        Flaky flaky = new Flaky(FileSystemBlobStore.open(dir), 2);
        ResilientBlobStore store = ResilientBlobStore.wrap(flaky, FAST, null);

        assertThatThrownBy(() -> store.put("k", bytes("once"))).isInstanceOf(UncheckedIOException.class);
        assertThat(flaky.calls).hasValue(1);

        AtomicInteger opened = new AtomicInteger();
        long size = store.put("k", () -> {
            opened.incrementAndGet();
            return bytes("retried");
        });
        assertThat(size).isEqualTo(7);
        assertThat(opened).hasValue(2); // one failed attempt, one that stored
        try (InputStream in = store.get("k").orElseThrow()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("retried");
        }
    }

    @Test
    void commitIsNotRepeatedButStagingFromASourceIs() {
        Flaky flaky = new Flaky(FileSystemBlobStore.open(dir), 1);
        ResilientBlobStore store = ResilientBlobStore.wrap(flaky, FAST, null);

        assertThat(store.stagePart("big", "u1", 1, () -> bytes("part one "))).isEqualTo(9);
        store.stagePart("big", "u1", 2, () -> bytes("part two"));
        assertThat(store.commitParts("big", "u1", List.of(1, 2)).size()).isEqualTo(17);

        Flaky failingCommit = new Flaky(FileSystemBlobStore.open(dir), Integer.MAX_VALUE);
        ResilientBlobStore strict = ResilientBlobStore.wrap(failingCommit, FAST, null);
        assertThatThrownBy(() -> strict.commitParts("x", "u2", List.of(1))).isInstanceOf(UncheckedIOException.class);
        assertThat(failingCommit.calls).hasValue(1);
    }

    @Test
    void aBadKeyIsNotRetried() {
        Flaky flaky = new Flaky(FileSystemBlobStore.open(dir), 0);
        ResilientBlobStore store = ResilientBlobStore.wrap(flaky, FAST, null);
        assertThatThrownBy(() -> store.stat("../escape")).isInstanceOf(IllegalArgumentException.class);
        assertThat(flaky.calls).hasValue(1);
    }
}
