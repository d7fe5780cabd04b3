package dev.aar.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.preflight.JobThroughput;
import dev.aar.core.preflight.ThroughputStore;
import dev.aar.core.preflight.ThroughputStoreContract;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InMemoryThroughputStoreTest extends ThroughputStoreContract {

    @Override
    protected ThroughputStore newStore() {
        return new InMemoryThroughputStore();
    }

    @Test
    void keepsOnlyTheMostRecentJobs() {
        InMemoryThroughputStore small = new InMemoryThroughputStore(2);
        for (int i = 1; i <= 3; i++) {
            small.record(new JobThroughput("j" + i, Instant.ofEpochSecond(i), "m", 1, 1, 1, 1, 1, 1, 1, 0, 0));
        }
        assertThat(small.recent(10)).extracting(JobThroughput::jobId).containsExactly("j3", "j2");
    }
}
