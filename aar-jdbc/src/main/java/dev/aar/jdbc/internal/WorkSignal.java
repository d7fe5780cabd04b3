package dev.aar.jdbc.internal;

import dev.aar.queue.JobPriority;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An in-process wake-up with one generation counter per minimum priority: work of priority p
 * advances the counters of every level up to p, so a waiter that only takes Critical jobs is not
 * woken by Low work.
 */
final class WorkSignal {

    private static final int LEVELS = JobPriority.values().length;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final long[] generations = new long[LEVELS];

    /** Returns the generation for waiters of {@code minPriority}; pass it to {@link #awaitChange}. */
    long generation(JobPriority minPriority) {
        lock.lock();
        try {
            return generations[minPriority.value()];
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiter whose minimum priority is at most {@code priority}. */
    void signal(JobPriority priority) {
        lock.lock();
        try {
            for (int level = 0; level <= priority.value(); level++) {
                generations[level]++;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiter. */
    void signalAll() {
        signal(JobPriority.CRITICAL);
    }

    /** Waits until the generation of {@code minPriority} differs from {@code seen} or {@code nanos} pass. */
    void awaitChange(JobPriority minPriority, long seen, long nanos) throws InterruptedException {
        lock.lock();
        try {
            long left = nanos;
            while (generations[minPriority.value()] == seen && left > 0) {
                left = changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }
}
