package dev.aar.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.memory.InMemoryJobQueue;
import dev.aar.queue.JobPriority;
import dev.aar.queue.JobRequest;
import dev.aar.queue.Lease;
import dev.aar.queue.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AarMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AarMetrics metrics = new AarMetrics(registry);

    @Test
    void countersCarryTheSpecNamesAndPriorityTags() {
        metrics.jobQueued(JobPriority.CRITICAL);
        metrics.jobQueued(JobPriority.CRITICAL);
        metrics.jobQueued(JobPriority.LOW);
        metrics.jobCompleted(JobPriority.LOW, Duration.ofSeconds(3));
        metrics.jobFailed(JobPriority.HIGH, AarMetrics.Outcome.RETRY, Duration.ofSeconds(1));
        metrics.jobFailed(JobPriority.HIGH, AarMetrics.Outcome.DEAD_LETTER, Duration.ofSeconds(1));

        assertThat(registry.get("aar.jobs.queued").tag("priority", "Critical").counter().count()).isEqualTo(2);
        assertThat(registry.get("aar.jobs.queued").tag("priority", "Low").counter().count()).isEqualTo(1);
        assertThat(registry.get("aar.jobs.completed").tag("priority", "Low").counter().count()).isEqualTo(1);
        // the spec's "failed jobs" are jobs failed for good; every failed attempt has its own meter
        assertThat(registry.get("aar.jobs.failed").tag("priority", "High").counter().count()).isEqualTo(1);
        assertThat(registry.get("aar.jobs.attempts_failed").tag("priority", "High").tag("outcome", "retry").counter()
                .count()).isEqualTo(1);
        assertThat(registry.get("aar.jobs.attempts_failed").tag("priority", "High").tag("outcome", "dead_letter")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get("aar.jobs.duration_seconds").tag("priority", "Low").tag("outcome", "success").timer()
                .totalTime(TimeUnit.SECONDS)).isEqualTo(3.0);
    }

    @Test
    void everyMeterOfTheSpecExistsUnderItsNameFromTheStart() {
        metrics.bindQueue(new InMemoryJobQueue());
        metrics.jobCompleted(JobPriority.NORMAL, Duration.ofMillis(1500));

        for (String name : List.of("aar.jobs.queued", "aar.jobs.completed", "aar.jobs.failed", "aar.jobs.duration_seconds",
                "aar.queue.length", "aar.queue.deadletter_length", "aar.tokens.consumed", "aar.embeddings.created",
                "aar.checkpoints.saved")) {
            assertThat(registry.find(name).meters()).as(name).isNotEmpty();
        }
        // durations in seconds whatever the registry
        assertThat(registry.get("aar.jobs.duration_seconds").timer().getId().getBaseUnit()).isEqualTo("seconds");
        assertThat(registry.get("aar.jobs.failed").tag("priority", "Critical").counter().count()).isZero();
    }

    @Test
    void tokenEmbeddingAndCheckpointCountersExistFromTheStart() {
        assertThat(registry.get("aar.tokens.consumed").counter().count()).isZero();

        metrics.tokensConsumed(1_500);
        metrics.embeddingsCreated(12);
        metrics.checkpointSaved();

        assertThat(registry.get("aar.tokens.consumed").counter().count()).isEqualTo(1_500);
        assertThat(registry.get("aar.embeddings.created").counter().count()).isEqualTo(12);
        assertThat(registry.get("aar.checkpoints.saved").counter().count()).isEqualTo(1);
    }

    @Test
    void queueGaugesReadTheQueueStats() throws Exception {
        InMemoryJobQueue queue = new InMemoryJobQueue(new MutableClock());
        metrics.bindQueue(queue);
        for (int i = 0; i < 4; i++) {
            queue.enqueue(JobRequest.of("t", "{}", JobPriority.values()[i]));
        }
        Lease lease = queue.claim("w", 1, Duration.ofSeconds(30), JobPriority.LOW).get(0);
        queue.fail(lease.jobId(), lease.fencingToken(), "x", null);
        queue.claim("w", 1, Duration.ofSeconds(30), JobPriority.LOW);

        assertThat(registry.get("aar.queue.length").gauge().value()).isEqualTo(2);
        assertThat(registry.get("aar.queue.deadletter_length").gauge().value()).isEqualTo(1);
        assertThat(registry.get("aar.queue.in_flight").gauge().value()).isEqualTo(1);
    }
}
