package dev.aar.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aar.core.event.JobCompleted;
import dev.aar.core.event.JobQueued;
import dev.aar.core.event.ProgressEvent;
import dev.aar.core.memory.InMemoryJobQueue;
import dev.aar.core.worker.JobContext;
import dev.aar.core.worker.JobHandler;
import dev.aar.queue.Job;
import dev.aar.queue.JobPriority;
import dev.aar.queue.JobRequest;
import dev.aar.queue.JobState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AarWorkersTest {

    @TempDir
    Path dir;

    private static final JobHandler ECHO = new JobHandler() {
        @Override
        public String type() {
            return "echo";
        }

        @Override
        public String handle(JobContext context) {
            return "report-for-" + context.projectId();
        }
    };

    @Test
    void defaultQueueWorkersEventsAndMetricsWorkTogether() throws Exception {
        List<ProgressEvent> events = Collections.synchronizedList(new ArrayList<>());
        try (Aar aar = Aar.builder().dataDirectory(dir).listener(events::add).build()) {
            assertThat(aar.jobQueue()).isInstanceOf(InMemoryJobQueue.class);
            aar.workers(ECHO);

            Job job = aar.jobs().enqueue(JobRequest.of("echo", "{\"projectId\":\"p7\"}", JobPriority.HIGH));

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> aar.jobQueue().find(job.id()).orElseThrow().state() == JobState.SUCCEEDED);
            assertThat(aar.events().awaitIdle(Duration.ofSeconds(20))).isTrue();
            // a worker may finish before the enqueuing thread has announced the job, so no order here
            assertThat(events).containsExactlyInAnyOrder(new JobQueued("p7", job.id(), "High"),
                    new JobCompleted("p7", job.id(), true, "report-for-p7", null));
            var registry = aar.meterRegistry();
            assertThat(registry.get("aar.jobs.queued").tag("priority", "High").counter().count()).isEqualTo(1);
            assertThat(registry.get("aar.jobs.completed").tag("priority", "High").counter().count()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> registry.get("aar.queue.length").gauge().value() == 0);
        }
    }

    @Test
    void hostQueueIsUsedAndLeftOpen() {
        InMemoryJobQueue mine = new InMemoryJobQueue();
        try (Aar aar = Aar.builder().dataDirectory(dir).jobQueue(mine).build()) {
            assertThat(aar.jobQueue()).isSameAs(mine);
        }
        assertThat(mine.enqueue(JobRequest.of("t", "{}", JobPriority.LOW)).state()).isEqualTo(JobState.QUEUED);
    }
}
