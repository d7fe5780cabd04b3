package dev.aar.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link CheckpointStore} must have; each backend's test extends this class. */
public abstract class CheckpointStoreContract {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    protected CheckpointStore store;

    /** Returns a new, empty store (jobs in earlier tests must not be visible). */
    protected abstract CheckpointStore createStore();

    @BeforeEach
    void setUpStore() {
        store = createStore();
    }

    @AfterEach
    void tearDownStore() throws Exception {
        if (store instanceof AutoCloseable c) {
            c.close();
        }
    }

    /** Builds a checkpoint whose every field derives from {@code n}, so a torn save is detectable. */
    protected static Checkpoint checkpoint(String jobId, int n) {
        return new Checkpoint(jobId, "project-" + jobId, "Indexing", "src/File" + n + ".java", n, 1000,
                "{\"n\":" + n + "}", T0, T0.plusSeconds(n));
    }

    @Test
    void savedCheckpointIsFoundWithEveryField() {
        Checkpoint c = new Checkpoint("job-1", "project-1", "Extracting", null, 0, 42, "{\"completedPhases\":[]}",
                T0, T0);
        store.save(c);

        assertThat(store.find("job-1")).contains(c);
    }

    @Test
    void unknownJobHasNoCheckpoint() {
        assertThat(store.find("no-such-job")).isEmpty();
        assertThat(store.delete("no-such-job")).isFalse();
    }

    @Test
    void laterSaveReplacesTheCheckpointAndKeepsTheFirstCreatedAt() {
        store.save(checkpoint("job-1", 1));
        Checkpoint later = new Checkpoint("job-1", "project-job-1", "Analyzing", "b.java", 7, 9, "{\"x\":1}",
                T0.plusSeconds(50), T0.plusSeconds(60));
        store.save(later);

        Checkpoint found = store.find("job-1").orElseThrow();
        assertThat(found.phase()).isEqualTo("Analyzing");
        assertThat(found.lastProcessedFile()).isEqualTo("b.java");
        assertThat(found.processedFileCount()).isEqualTo(7);
        assertThat(found.totalFileCount()).isEqualTo(9);
        assertThat(found.data()).isEqualTo("{\"x\":1}");
        assertThat(found.updatedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(found.createdAt()).isEqualTo(T0);
    }

    @Test
    void checkpointsOfDifferentJobsAreIndependent() {
        store.save(checkpoint("job-1", 1));
        store.save(checkpoint("job-2", 2));

        assertThat(store.delete("job-1")).isTrue();

        assertThat(store.find("job-1")).isEmpty();
        assertThat(store.find("job-2")).contains(checkpoint("job-2", 2));
    }

    @Test
    void concurrentReadersNeverSeeAHalfWrittenCheckpoint() throws Exception {
        store.save(checkpoint("job-1", 0));
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<?> writer = pool.submit(() -> {
                for (int n = 1; n <= 300; n++) {
                    store.save(checkpoint("job-1", n));
                }
                done.set(true);
            });
            List<Future<List<Checkpoint>>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> {
                    List<Checkpoint> seen = new ArrayList<>();
                    while (!done.get()) {
                        store.find("job-1").ifPresent(seen::add);
                    }
                    return seen;
                }));
            }
            writer.get();
            for (Future<List<Checkpoint>> reader : readers) {
                for (Checkpoint c : reader.get()) {
                    int n = c.processedFileCount();
                    Checkpoint expected = checkpoint("job-1", n);
                    assertThat(c.lastProcessedFile()).isEqualTo(expected.lastProcessedFile());
                    assertThat(c.data()).isEqualTo(expected.data());
                    assertThat(c.updatedAt()).isEqualTo(expected.updatedAt());
                }
            }
            assertThat(store.find("job-1").orElseThrow().processedFileCount()).isEqualTo(300);
        } finally {
            pool.shutdownNow();
        }
    }
}
