package dev.aar.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aar.core.Aar;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.WorkerProcessing;
import dev.aar.core.event.JobCompleted;
import dev.aar.core.project.Project;
import dev.aar.core.quota.OrganizationQuota;
import dev.aar.core.quota.QuotaService;
import dev.aar.core.report.Report;
import dev.aar.core.storage.FileSystemBlobStore;
import dev.aar.core.testing.PausingJobQueue;
import dev.aar.core.wiring.internal.Collaborators;
import dev.aar.core.worker.WorkerPool;
import dev.aar.queue.Job;
import dev.aar.queue.JobPriority;
import dev.aar.queue.JobQueue;
import dev.aar.queue.JobState;
import dev.aar.queue.MutableClock;
import dev.aar.storage.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Work lands exactly once, on every backend: a worker frozen past its lease (as by {@code SIGSTOP})
 * while another node claims and finishes the job writes nothing when it wakes, so there is one
 * report and the quota is charged once; a cancel that meets the finishing step releases nothing.
 *
 * <p>A backend's test extends this class and hands over its queue and stores; two {@link Aar}
 * nodes share them (and one blob store), node A's queue wrapped in a {@link PausingJobQueue}. The
 * queue reads the test's {@link MutableClock}, so a lease lapses when the test moves the clock.
 */
public abstract class ExactlyOnceContract {

    protected static final String OWNER = "org-exactly-once";
    private static final int LEASE_SECONDS = 30;
    private static final long WAIT_SECONDS = 120;

    @TempDir
    protected Path temp;

    protected final MutableClock clock = new MutableClock();
    private final List<Aar> nodes = new ArrayList<>();
    private BlobStore blobs;

    /** Opens the backend under test; its queue must read time from {@code clock}. */
    protected abstract void openBackend(Clock clock);

    /** Returns the backend's queue (node A's is this one, wrapped). */
    protected abstract JobQueue queue();

    /** Sets the backend's stores (checkpoints, quotas, projects, reports, embeddings, uploads) on {@code builder}. */
    protected abstract Aar.Builder applyStores(Aar.Builder builder);

    /** Closes the backend; called after both nodes closed. */
    protected abstract void closeBackend() throws Exception;

    @BeforeEach
    void open() throws IOException {
        openBackend(clock);
        blobs = FileSystemBlobStore.open(temp.resolve("blobs"));
    }

    @AfterEach
    void close() throws Exception {
        for (Aar node : nodes) {
            node.close();
        }
        blobs.close();
        closeBackend();
    }

    private Aar node(String name, JobQueue queue, CompletableFuture<JobCompleted> completed) {
        AarConfig config = AarConfig.builder().workerProcessing(WorkerProcessing.builder().maxConcurrentJobs(1)
                .leaseSeconds(LEASE_SECONDS).retryDelaySeconds(0).build()).build();
        Aar node = applyStores(Aar.builder()).config(config).dataDirectory(temp.resolve(name)).blobStore(blobs)
                .jobQueue(queue).listener(e -> {
                    if (e instanceof JobCompleted c) {
                        completed.complete(c);
                    }
                }).build();
        nodes.add(node);
        return node;
    }

    private static QuotaService quotas(Aar node) {
        return Collaborators.of(node).quotaService();
    }

    @Test
    void aWorkerFrozenPastItsLeaseWritesNothingWhenItWakes() throws Exception {
        PausingJobQueue frozenQueue = new PausingJobQueue(queue()).pauseBeforeCompletion();
        CompletableFuture<JobCompleted> doneOnA = new CompletableFuture<>();
        CompletableFuture<JobCompleted> doneOnB = new CompletableFuture<>();
        Aar a = node("node-a", frozenQueue, doneOnA);
        quotas(a).setLimits(OWNER, 10_000_000, 100, 1L << 40);
        Project project = a.analysis().createProject(OWNER, "shop.zip", zip());
        Job job = a.analysis().submit(OWNER, project.id(), JobPriority.HIGH);
        WorkerPool poolA = a.startWorkers();

        // A ran every phase and stopped, frozen, right before its fenced completion
        assertThat(frozenQueue.awaitPaused()).isTrue();
        clock.advance(Duration.ofSeconds(LEASE_SECONDS + 1));
        Aar b = node("node-b", queue(), doneOnB);
        b.startWorkers();
        JobCompleted onB = doneOnB.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(onB.isSuccess()).as(onB.error()).isTrue();
        OrganizationQuota afterB = quotas(b).usage(OWNER).orElseThrow();

        frozenQueue.resume();

        assertThat(frozenQueue.awaitCompletion()).as("the stale worker's completion is refused").isFalse();
        assertThat(frozenQueue.writesRun()).as("the stale worker's report and quota writes never ran").isZero();
        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> poolA.runningJobs().isEmpty());
        List<Report> reports = Collaborators.of(b).reportStore().listByProject(project.id());
        assertThat(reports).singleElement().satisfies(r -> assertThat(r.jobId()).isEqualTo(job.id()));
        OrganizationQuota after = quotas(b).usage(OWNER).orElseThrow();
        assertThat(after.monthlyProjectsUsed()).as("one project charged").isEqualTo(1);
        assertThat(after.monthlyTokensUsed()).as("the tokens the one report spent, charged once")
                .isEqualTo(reports.get(0).spend().tokens()).isEqualTo(afterB.monthlyTokensUsed());
        Job finished = queue().find(job.id()).orElseThrow();
        assertThat(finished.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(finished.attempts()).isEqualTo(2);
        assertThat(doneOnA).as("the stale worker announces nothing").isNotDone();
    }

    @Test
    void aCancelThatMeetsTheFinishingStepReleasesNothing() throws Exception {
        PausingJobQueue frozenQueue = new PausingJobQueue(queue()).pauseInsideCompletion();
        CompletableFuture<JobCompleted> done = new CompletableFuture<>();
        Aar a = node("node-a", frozenQueue, done);
        quotas(a).setLimits(OWNER, 10_000_000, 100, 1L << 40);
        Project project = a.analysis().createProject(OWNER, "shop.zip", zip());
        Job job = a.analysis().submit(OWNER, project.id(), JobPriority.HIGH);
        a.startWorkers();

        // A holds the fence and is about to write the report and commit the quota
        assertThat(frozenQueue.awaitPaused()).isTrue();
        CompletableFuture<Boolean> cancel = CompletableFuture.supplyAsync(() -> a.analysis().cancel(OWNER, job.id()));
        frozenQueue.resume();

        assertThat(frozenQueue.awaitCompletion()).isTrue();
        assertThat(cancel.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("the job had finished").isFalse();
        assertThat(done.get(WAIT_SECONDS, TimeUnit.SECONDS).isSuccess()).isTrue();
        assertThat(queue().find(job.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
        List<Report> reports = Collaborators.of(a).reportStore().listByProject(project.id());
        assertThat(reports).hasSize(1);
        OrganizationQuota after = quotas(a).usage(OWNER).orElseThrow();
        assertThat(after.monthlyProjectsUsed()).as("the committed project is not released again").isEqualTo(1);
        assertThat(after.monthlyTokensUsed()).isEqualTo(reports.get(0).spend().tokens());
        assertThat(a.analysis().cancel(OWNER, job.id())).as("a cancel after the report is saved").isFalse();
        assertThat(quotas(a).usage(OWNER).orElseThrow().monthlyProjectsUsed()).isEqualTo(1);
    }

    @Test
    void aCancelBeforeTheFinishingStepWritesNoReportAndReleasesOnce() throws Exception {
        PausingJobQueue frozenQueue = new PausingJobQueue(queue()).pauseBeforeCompletion();
        CompletableFuture<JobCompleted> done = new CompletableFuture<>();
        Aar a = node("node-a", frozenQueue, done);
        quotas(a).setLimits(OWNER, 10_000_000, 100, 1L << 40);
        Project project = a.analysis().createProject(OWNER, "shop.zip", zip());
        Job job = a.analysis().submit(OWNER, project.id(), JobPriority.HIGH);
        a.startWorkers();

        assertThat(frozenQueue.awaitPaused()).isTrue();
        assertThat(a.analysis().cancel(OWNER, job.id())).isTrue();
        frozenQueue.resume();

        assertThat(frozenQueue.awaitCompletion()).isFalse();
        assertThat(frozenQueue.writesRun()).isZero();
        assertThat(Collaborators.of(a).reportStore().listByProject(project.id())).isEmpty();
        OrganizationQuota after = quotas(a).usage(OWNER).orElseThrow();
        assertThat(after.monthlyProjectsUsed()).isZero();
        assertThat(after.monthlyTokensUsed()).isZero();
        assertThat(queue().find(job.id()).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
    }

    /** A small project with a dependency cycle, so the report has findings. */
    protected static ByteArrayInputStream zip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            String[][] files = {
                {"src/com/shop/domain/Order.java", "package com.shop.domain;\nimport com.shop.infra.Repo;\npublic class Order { Repo repo; }\n"},
                {"src/com/shop/infra/Repo.java", "package com.shop.infra;\nimport com.shop.domain.Order;\npublic class Repo { Order last; }\n"},
                {"README.md", "# shop\n"},
            };
            for (String[] f : files) {
                out.putNextEntry(new ZipEntry(f[0]));
                out.write(f[1].getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }
}
