package dev.aar.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.aar.core.Aar;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.StoragePolicy;
import dev.aar.core.error.NotFoundException;
import dev.aar.core.error.UploadSessionException;
import dev.aar.core.event.JobCompleted;
import dev.aar.core.project.Project;
import dev.aar.core.quota.OrganizationQuota;
import dev.aar.core.wiring.internal.Collaborators;
import dev.aar.storage.UploadSession;
import dev.aar.queue.Job;
import dev.aar.queue.JobPriority;
import dev.aar.queue.JobQueue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HousekeepingTest {

    private static final String OWNER = "org-a";

    @TempDir
    Path data;

    @Test
    void aRoundRemovesExpiredUploadsAndProjectsPastRetentionWithEverythingDerivedFromThem() throws Exception {
        CompletableFuture<JobCompleted> done = new CompletableFuture<>();
        try (Aar aar = Aar.builder().dataDirectory(data).listener(e -> {
            if (e instanceof JobCompleted c) {
                done.complete(c);
            }
        }).build()) {
            Collaborators.of(aar).quotaService().setLimits(OWNER, 1_000_000_000L, 100, 1L << 30);
            Project project = aar.analysis().createProject(OWNER, "app.zip", new ByteArrayInputStream(zip()));
            aar.startWorkers();
            Job job = aar.analysis().submit(OWNER, project.id(), JobPriority.NORMAL);
            assertThat(done.get(60, TimeUnit.SECONDS).isSuccess()).isTrue();
            assertThat(Collaborators.of(aar).embeddingStore().count(project.id())).isPositive();
            assertThat(aar.analysis().reports(OWNER, project.id())).hasSize(1);
            long storedBefore = Collaborators.of(aar).quotaService().usage(OWNER).map(OrganizationQuota::storageUsedBytes).orElseThrow();
            assertThat(storedBefore).isEqualTo(project.archiveBytes());

            UploadSession abandoned = aar.uploadSessionManager().create(OWNER, "later.zip", 10, null);
            aar.uploadSessionManager().putPart(OWNER, abandoned.id(), 1, new ByteArrayInputStream(new byte[10]), 10, null);

            Housekeeping housekeeping = Collaborators.of(aar).housekeeping().build();
            // a round today removes nothing that is still in use
            assertThat(housekeeping.runOnce(Instant.now()).removedAnything()).isFalse();
            assertThat(aar.analysis().project(OWNER, project.id())).isNotNull();

            Instant later = Instant.now().plus(Duration.ofDays(StoragePolicy.DEFAULT_RETENTION_DAYS + 1));
            Housekeeping.Round round = housekeeping.runOnce(later);

            assertThat(round.projects()).isEqualTo(1);
            assertThat(round.jobs()).isEqualTo(1);
            assertThat(Collaborators.of(aar).jobQueue().find(job.id())).isEmpty();
            assertThat(round.uploadSessions()).isPositive();
            assertThatThrownBy(() -> aar.analysis().project(OWNER, project.id())).isInstanceOf(NotFoundException.class);
            assertThat(Collaborators.of(aar).embeddingStore().count(project.id())).isZero();
            assertThat(Collaborators.of(aar).reportStore().listByProject(project.id())).isEmpty();
            assertThat(Collaborators.of(aar).blobStore().list("projects/" + project.id() + "/")).isEmpty();
            assertThat(Collaborators.of(aar).quotaService().usage(OWNER).map(OrganizationQuota::storageUsedBytes).orElseThrow()).isZero();
            assertThatThrownBy(() -> aar.uploadSessionManager().status(OWNER, abandoned.id()))
                    .isInstanceOf(UploadSessionException.class);
            assertThat(Collaborators.of(aar).blobStore().list("uploads/")).isEmpty();

            // a second round finds nothing left to do
            assertThat(housekeeping.runOnce(later).removedAnything()).isFalse();
        }
    }

    @Test
    void aRetentionOfZeroKeepsProjectsForever() throws Exception {
        AarConfig config = AarConfig.defaults().toBuilder()
                .storagePolicy(StoragePolicy.defaults().toBuilder().retentionDays(0).build()).build();
        try (Aar aar = Aar.builder().config(config).dataDirectory(data).build()) {
            Project project = aar.analysis().createProject(OWNER, "app.zip", new ByteArrayInputStream(zip()));
            Housekeeping.Round round = Collaborators.of(aar).housekeeping().build().runOnce(Instant.now().plus(Duration.ofDays(36_500)));
            assertThat(round.projects()).isZero();
            assertThat(aar.analysis().project(OWNER, project.id()).id()).isEqualTo(project.id());
        }
    }

    @Test
    void startedHousekeepingStopsWithTheInstance() throws Exception {
        Aar aar = Aar.builder().dataDirectory(data).build();
        Housekeeping housekeeping = aar.startHousekeeping(Duration.ofMillis(50));
        assertThatThrownBy(housekeeping::start).isInstanceOf(IllegalStateException.class);
        aar.close();
        // close waits for the executor to terminate; its thread may still be leaving run() at that moment
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("aar-housekeeping")) {
                t.join(10_000);
            }
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("aar-housekeeping") && t.isAlive());
    }

    @Test
    void aQueueThatCannotPurgeIsAskedOnceAndTheOtherStepsStillRun() {
        JobQueue queue = mock(JobQueue.class);
        when(queue.purgeFinished(any(), anyBoolean())).thenThrow(new UnsupportedOperationException("not here"));
        Housekeeping housekeeping = Housekeeping.builder().finishedJobs(queue, Duration.ofDays(1)).build();

        assertThat(housekeeping.runOnce(Instant.now()).jobs()).isZero();
        assertThat(housekeeping.runOnce(Instant.now()).jobs()).isZero();
        verify(queue, times(1)).purgeFinished(any(), eq(false)); // dead letters are never purged by housekeeping
    }

    @Test
    void aFailingStepDoesNotStopTheRound() {
        JobQueue queue = mock(JobQueue.class);
        when(queue.purgeFinished(any(), anyBoolean())).thenThrow(new IllegalStateException("database down"));
        Housekeeping housekeeping = Housekeeping.builder().finishedJobs(queue, Duration.ofDays(1)).build();

        assertThat(housekeeping.runOnce(Instant.now()).removedAnything()).isFalse();
        assertThat(housekeeping.runOnce(Instant.now()).removedAnything()).isFalse();
        verify(queue, times(2)).purgeFinished(any(), eq(false)); // tried again next round
    }

    @Test
    void anIntervalMustBePositive() {
        assertThatThrownBy(() -> Housekeeping.builder().interval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval");
    }

    private static byte[] zip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("src/App.java"));
            zip.write("package app;\n\npublic class App {\n    public static void main(String[] args) {}\n}\n"
                    .getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("README.md"));
            zip.write("# App\n\nA tiny app.\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }
}
