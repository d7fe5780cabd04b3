package dev.aar.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.core.Aar;
import dev.aar.core.config.AarConfig;
import dev.aar.core.error.NotFoundException;
import dev.aar.core.preflight.PreflightResult;
import dev.aar.core.preflight.TokenMode;
import dev.aar.core.project.Project;
import dev.aar.core.wiring.internal.Collaborators;
import dev.aar.queue.Job;
import dev.aar.queue.JobPriority;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stored project's preflight is computed once per mode and reused, by preflight and by submit. */
class PreflightCacheTest {

    @TempDir
    Path data;

    private static PreflightResult result(long files) {
        return new PreflightResult(files, files * 10, files * 3, 0.0, 1, false, true, List.of());
    }

    private static Project project(String id) {
        return new Project(id, "org", id + ".zip", "projects/" + id + "/archive.zip", 100, null, null, null, Instant.EPOCH);
    }

    @Test
    void computesEachProjectAndModeOnceAndForgetsTheLeastRecentlyUsed() {
        PreflightCache cache = new PreflightCache(2);
        AtomicInteger computed = new AtomicInteger();
        cache.get(project("a"), TokenMode.FAST, () -> result(computed.incrementAndGet()));
        cache.get(project("a"), TokenMode.FAST, () -> result(computed.incrementAndGet()));
        assertThat(computed).hasValue(1);
        cache.get(project("a"), TokenMode.EXACT, () -> result(computed.incrementAndGet()));
        assertThat(computed).hasValue(2);
        assertThat(cache.latest(project("a")).fileCount()).as("EXACT is preferred").isEqualTo(2);
        cache.get(project("b"), TokenMode.FAST, () -> result(computed.incrementAndGet())); // a/FAST goes
        cache.get(project("a"), TokenMode.FAST, () -> result(computed.incrementAndGet()));
        assertThat(computed).hasValue(4);
        assertThat(cache.latest(project("c"))).isNull();
    }

    @Test
    void aFailureIsNotKept() {
        PreflightCache cache = new PreflightCache(4);
        assertThatThrownBy(() -> cache.get(project("a"), TokenMode.FAST, () -> {
            throw new IllegalStateException("blob store down");
        })).hasMessageContaining("down");
        assertThat(cache.get(project("a"), TokenMode.FAST, () -> result(7)).fileCount()).isEqualTo(7);
    }

    @Test
    void concurrentCallersForTheSameProjectWaitForOneComputation() throws Exception {
        PreflightCache cache = new PreflightCache(4);
        AtomicInteger computed = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<PreflightResult>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(pool.submit(() -> cache.get(project("a"), TokenMode.EXACT, () -> {
                    computed.incrementAndGet();
                    started.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return result(3);
                })));
            }
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            release.countDown();
            for (Future<PreflightResult> f : calls) {
                assertThat(f.get(30, TimeUnit.SECONDS).fileCount()).isEqualTo(3);
            }
            assertThat(computed).hasValue(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void preflightAndSubmitReadTheArchiveOnceEvenWhenTheSubmissionIsRefused() throws Exception {
        try (Aar aar = Aar.builder().config(AarConfig.defaults()).dataDirectory(data).build()) {
            Map<String, String> files = Map.of("src/A.java", "class A { int x; }", "README.md", "# a");
            Project preflighted = aar.analysis().createProject("org", "a.zip", AnalysisServiceTest.zip(files));
            Project cold = aar.analysis().createProject("org", "b.zip", AnalysisServiceTest.zip(files));
            Project refused = aar.analysis().createProject("org", "c.zip",
                    AnalysisServiceTest.zip(Map.of("ok.txt", "fine", "../evil.sh", "echo")));
            PreflightResult first = aar.analysis().preflight("org", preflighted.id(), TokenMode.EXACT);
            assertThat(aar.analysis().preflight("org", refused.id(), TokenMode.FAST).isWithinLimits()).isFalse();

            // without their archives, only results already computed let these calls answer
            Collaborators.of(aar).blobStore().delete(preflighted.archiveKey());
            Collaborators.of(aar).blobStore().delete(cold.archiveKey());
            Collaborators.of(aar).blobStore().delete(refused.archiveKey());
            assertThat(aar.analysis().preflight("org", preflighted.id(), TokenMode.EXACT)).isEqualTo(first);
            Job job = aar.analysis().submit("org", preflighted.id(), JobPriority.NORMAL);
            assertThat(job.payload()).contains(preflighted.id());
            assertThatThrownBy(() -> aar.analysis().submit("org", cold.id(), JobPriority.NORMAL))
                    .isInstanceOf(NotFoundException.class);
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> aar.analysis().submit("org", refused.id(), JobPriority.NORMAL))
                        .isInstanceOf(dev.aar.core.error.ArchiveRejectedException.class);
            }
            // another organization gets no answer from the cache
            assertThatThrownBy(() -> aar.analysis().preflight("other", preflighted.id(), TokenMode.EXACT))
                    .isInstanceOf(NotFoundException.class);
        }
    }
}
