package dev.aar.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.queue.JobPriority;
import org.junit.jupiter.api.Test;

/** Work of a priority wakes the waiters that take it, and only them. */
class WorkSignalTest {

    @Test
    void workOfAPriorityWakesWaitersUpToThatPriorityOnly() throws Exception {
        WorkSignal signal = new WorkSignal();
        long critical = signal.generation(JobPriority.CRITICAL);
        long low = signal.generation(JobPriority.LOW);
        long high = signal.generation(JobPriority.HIGH);

        signal.signal(JobPriority.NORMAL);

        assertThat(signal.generation(JobPriority.CRITICAL)).isEqualTo(critical);
        assertThat(signal.generation(JobPriority.HIGH)).isEqualTo(high);
        assertThat(signal.generation(JobPriority.LOW)).isNotEqualTo(low);
        // a waiter that already saw a change returns without waiting
        signal.awaitChange(JobPriority.LOW, low, Long.MAX_VALUE);

        signal.signalAll();

        assertThat(signal.generation(JobPriority.CRITICAL)).isNotEqualTo(critical);
        signal.awaitChange(JobPriority.CRITICAL, critical, Long.MAX_VALUE);
    }
}
