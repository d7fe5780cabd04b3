package dev.aar.queue;

import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of the queue's depth.
 *
 * @param queuedByPriority jobs waiting (including ones scheduled for later), per priority
 * @param inFlight jobs leased to workers
 * @param deadLettered jobs in the dead-letter queue
 */
public record QueueStats(Map<JobPriority, Long> queuedByPriority, long inFlight, long deadLettered) {

    public QueueStats {
        EnumMap<JobPriority, Long> copy = new EnumMap<>(JobPriority.class);
        for (JobPriority p : JobPriority.values()) {
            copy.put(p, queuedByPriority.getOrDefault(p, 0L));
        }
        queuedByPriority = Map.copyOf(copy);
    }

    /** Returns the number of jobs waiting, all priorities together. */
    public long queued() {
        return queuedByPriority.values().stream().mapToLong(Long::longValue).sum();
    }
}
