package dev.aar.core.metrics;

import dev.aar.queue.JobQueue;
import dev.aar.queue.QueueStats;
import java.time.Duration;
import java.util.Map;

/** Reuses one {@link QueueStats} read for a short while, so several gauges cost one backend call. */
final class StatsCache {

    private static final QueueStats EMPTY = new QueueStats(Map.of(), 0, 0);

    private final JobQueue queue;
    private final long maxAgeNanos;
    private QueueStats last;
    private long readAt;

    StatsCache(JobQueue queue, Duration maxAge) {
        this.queue = queue;
        this.maxAgeNanos = maxAge.toNanos();
    }

    synchronized QueueStats get() {
        long now = System.nanoTime();
        if (last == null || now - readAt >= maxAgeNanos) {
            try {
                last = queue.stats();
            } catch (RuntimeException e) {
                // a scrape must not fail because the backend is down; the gauge shows the last value
                return last == null ? EMPTY : last;
            }
            readAt = now;
        }
        return last;
    }
}
