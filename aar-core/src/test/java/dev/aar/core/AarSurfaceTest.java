package dev.aar.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.core.memory.InMemoryJobQueue;
import dev.aar.core.pipeline.Housekeeping;
import dev.aar.core.wiring.internal.Collaborators;
import dev.aar.core.worker.JobContext;
import dev.aar.core.worker.JobHandler;
import dev.aar.core.worker.WorkerPool;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code Aar} is a facade for hosts (docs/architecture.md, "Public API"), and the project reaches the rest internally. */
class AarSurfaceTest {

    @TempDir
    Path dir;

    @Test
    void aarExposesWhatAHostCallsAndNothingElse() {
        // adding to this list is an API decision: write it down in docs/architecture.md first
        assertThat(Arrays.stream(Aar.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !m.isSynthetic())
                .map(Method::getName).distinct())
                .containsExactlyInAnyOrder("builder", "config", "analysis", "uploadSessionManager", "events",
                        "meterRegistry", "pipelines", "startWorkers", "startHousekeeping", "close");
    }

    @Test
    void theInternalAccessorHandsOutWhatTheInstanceUses() {
        InMemoryJobQueue queue = new InMemoryJobQueue();
        try (Aar aar = Aar.builder().dataDirectory(dir).jobQueue(queue).build()) {
            Collaborators wired = Collaborators.of(aar);
            assertThat(wired.jobQueue()).isSameAs(queue).isSameAs(aar.jobQueue());
            assertThat(wired.blobStore()).isSameAs(aar.blobStore());
            assertThat(wired.analysis()).isSameAs(aar.analysis());
            assertThat(wired.uploadSessionManager()).isSameAs(aar.uploadSessionManager());

            // what is started through it is closed with the instance, like startWorkers() and startHousekeeping()
            WorkerPool pool = wired.workers(new JobHandler() {
                @Override
                public String type() {
                    return "noop";
                }

                @Override
                public String handle(JobContext context) {
                    return "done";
                }
            });
            Housekeeping housekeeping = aar.startHousekeeping();
            assertThat(wired.owned()).startsWith(housekeeping, pool);
            aar.close();
            assertThat(wired.owned()).isEmpty();
        }
    }

    @Test
    void theAccessorRefusesWhatNoBuilderMade() {
        AutoCloseable stranger = () -> { };
        assertThatThrownBy(() -> Collaborators.of(stranger)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an Aar built by Aar.builder()");
    }
}
