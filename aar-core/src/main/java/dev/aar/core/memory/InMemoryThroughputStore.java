package dev.aar.core.memory;

import dev.aar.core.preflight.JobThroughput;
import dev.aar.core.preflight.ThroughputStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A {@link ThroughputStore} in memory that keeps the most recent {@code capacity} jobs. */
public final class InMemoryThroughputStore implements ThroughputStore {

    /** Records kept by {@link #InMemoryThroughputStore()}: far more than an estimate looks at. */
    public static final int DEFAULT_CAPACITY = 1_000;

    private final int capacity;
    private final Map<String, JobThroughput> byJob = new LinkedHashMap<>();

    public InMemoryThroughputStore() {
        this(DEFAULT_CAPACITY);
    }

    public InMemoryThroughputStore(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public synchronized void record(JobThroughput throughput) {
        Objects.requireNonNull(throughput, "throughput");
        byJob.remove(throughput.jobId());
        byJob.put(throughput.jobId(), throughput);
        if (byJob.size() > capacity) {
            String oldest = byJob.values().stream().min(Comparator.comparing(JobThroughput::finishedAt))
                    .orElseThrow().jobId();
            byJob.remove(oldest);
        }
    }

    @Override
    public synchronized List<JobThroughput> recent(int limit) {
        List<JobThroughput> all = new ArrayList<>(byJob.values());
        all.sort(Comparator.comparing(JobThroughput::finishedAt).reversed());
        return List.copyOf(all.subList(0, Math.min(Math.max(limit, 0), all.size())));
    }
}
