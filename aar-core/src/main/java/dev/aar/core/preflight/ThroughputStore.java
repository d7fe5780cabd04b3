package dev.aar.core.preflight;

import java.util.List;

/**
 * Keeps what finished jobs measured, so that every node estimates from the same history.
 * Implementations are safe for concurrent use.
 */
public interface ThroughputStore {

    /** Records a finished job; recording the same job id again replaces the earlier record. */
    void record(JobThroughput throughput);

    /** Returns up to {@code limit} records, most recently finished first. */
    List<JobThroughput> recent(int limit);
}
