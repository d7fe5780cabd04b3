package dev.aar.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.Aar;
import dev.aar.core.wiring.internal.Collaborators;
import dev.aar.queue.Job;
import dev.aar.queue.JobPriority;
import dev.aar.queue.JobRequest;
import dev.aar.queue.Lease;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node's work directory loses the sources of jobs that are over or unknown, and keeps those of live jobs. */
class WorkspaceSweepTest {

    @TempDir
    Path data;

    @Test
    void startWorkersDeletesTheSourcesOfFinishedAndUnknownJobsOnly() throws IOException {
        try (Aar aar = Aar.builder().dataDirectory(data).build()) {
            Job running = Collaborators.of(aar).jobs().enqueue(JobRequest.of("other", "{}", JobPriority.LOW));
            Job queued = Collaborators.of(aar).jobs().enqueue(JobRequest.of("other", "{}", JobPriority.LOW));
            Job cancelled = Collaborators.of(aar).jobs().enqueue(JobRequest.of("other", "{}", JobPriority.LOW));
            Collaborators.of(aar).jobQueue().cancel(cancelled.id());
            List<Lease> claimed = Collaborators.of(aar).jobQueue().claim("test", 1, Duration.ofMinutes(5), JobPriority.LOW);
            assertThat(claimed).extracting(l -> l.job().id()).containsExactly(running.id());
            Path work = data.resolve("work");
            for (String id : List.of(queued.id(), running.id(), cancelled.id(), "no-such-job")) {
                Files.createDirectories(work.resolve(id).resolve("src"));
                Files.writeString(work.resolve(id).resolve("src").resolve("A.java"), "class A {}");
            }

            assertThat(aar.analysis().sweepWorkspaces()).isEqualTo(2);

            assertThat(work.resolve(running.id())).isDirectory();
            assertThat(work.resolve(queued.id())).isDirectory();
            assertThat(work.resolve(cancelled.id())).doesNotExist();
            assertThat(work.resolve("no-such-job")).doesNotExist();
        }
    }

    @Test
    void aMissingWorkDirectoryIsNothingToSweep() {
        try (Aar aar = Aar.builder().dataDirectory(data).build()) {
            assertThat(aar.analysis().sweepWorkspaces()).isZero();
        }
    }
}
