package dev.aar.core.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.event.JobQueued;
import dev.aar.core.event.ProgressEvent;
import dev.aar.core.memory.InMemoryJobQueue;
import dev.aar.core.metrics.AarMetrics;
import dev.aar.queue.Job;
import dev.aar.queue.JobPriority;
import dev.aar.queue.JobRequest;
import dev.aar.queue.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobClientTest {

    private final MutableClock clock = new MutableClock();
    private final InMemoryJobQueue queue = new InMemoryJobQueue(clock);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<ProgressEvent> events = new ArrayList<>();
    private final JobClient client = new JobClient(queue, events::add, new AarMetrics(registry), clock);

    private double queued(String priority) {
        return registry.get(AarMetrics.JOBS_QUEUED).tag("priority", priority).counter().count();
    }

    @Test
    void everyNewJobIsCountedAndAnnouncedOnce() {
        Job a = client.enqueue(JobRequest.of("t", "{\"projectId\":\"p1\"}", JobPriority.HIGH));
        client.enqueue(JobRequest.of("t", "{}", JobPriority.HIGH));

        assertThat(queued("High")).isEqualTo(2);
        assertThat(events).first().isEqualTo(new JobQueued("p1", a.id(), "High"));
        assertThat(events).hasSize(2);
    }

    @Test
    void idempotentRepeatsAreNotCounted() {
        JobRequest keyed = JobRequest.of("t", "{}", JobPriority.LOW).withIdempotencyKey("upload-1");
        client.enqueue(keyed);
        clock.advanceSeconds(1);

        client.enqueue(keyed);
        client.enqueueAll(List.of(keyed, JobRequest.of("t", "{}", JobPriority.LOW).withIdempotencyKey("upload-2"),
                JobRequest.of("t", "{}", JobPriority.LOW).withIdempotencyKey("upload-2")));

        assertThat(queued("Low")).isEqualTo(2);
        assertThat(events).hasSize(2);
    }
}
