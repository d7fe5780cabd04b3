package dev.aar.core.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The promises every {@link ThroughputStore} keeps; a backend's test extends this class. */
public abstract class ThroughputStoreContract {

    /** Returns a new, empty store. */
    protected abstract ThroughputStore newStore();

    private static JobThroughput job(String id, long finishedAtSecond, long files) {
        return new JobThroughput(id, Instant.ofEpochSecond(finishedAtSecond), "model-a", files, 1_000 * files,
                500 * files, 10, 20, 30, 40, 80, 1.5);
    }

    @Test
    void recentReturnsTheNewestFirstUpToTheLimit() {
        ThroughputStore store = newStore();
        assertThat(store.recent(10)).isEmpty();
        store.record(job("b", 2, 1));
        store.record(job("c", 3, 1));
        store.record(job("a", 1, 1));
        assertThat(store.recent(10)).extracting(JobThroughput::jobId).containsExactly("c", "b", "a");
        assertThat(store.recent(2)).extracting(JobThroughput::jobId).containsExactly("c", "b");
        assertThat(store.recent(0)).isEmpty();
    }

    @Test
    void everyFieldRoundTrips() {
        ThroughputStore store = newStore();
        JobThroughput j = new JobThroughput("job-1", Instant.ofEpochMilli(1_700_000_000_123L), "text-embedding-3-small",
                15_224, 262_000_000, 54_300_000, 5_600, 37_900, 8_200, 900, 39_100, 242.5);
        store.record(j);
        assertThat(store.recent(1)).containsExactly(j);
    }

    @Test
    void recordingAJobAgainReplacesIt() {
        ThroughputStore store = newStore();
        store.record(job("a", 1, 1));
        store.record(job("a", 5, 7));
        assertThat(store.recent(10)).containsExactly(job("a", 5, 7));
    }

    @Test
    void concurrentRecordsAreAllKept() throws Exception {
        ThroughputStore store = newStore();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                futures.add(pool.submit(() -> store.record(job("j" + n, 100 + n, 1))));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.recent(100)).hasSize(40);
        assertThat(store.recent(1)).extracting(JobThroughput::jobId).containsExactly("j39");
    }
}
