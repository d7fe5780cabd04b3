package dev.aar.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.Aar;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.EmbeddingProcessing;
import dev.aar.core.config.ScaleLimits;
import dev.aar.core.embedding.OfflineEmbeddingProvider;
import dev.aar.core.event.JobCompleted;
import dev.aar.core.project.Project;
import dev.aar.embedding.EmbeddingModel;
import dev.aar.embedding.EmbeddingProvider;
import dev.aar.embedding.EmbeddingResult;
import dev.aar.queue.Job;
import dev.aar.queue.JobPriority;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cancel reaches a job in Indexing at the next file it takes, not at the end of the phase. */
class IndexingCancelTest {

    private static final String OWNER = "org-a";
    private static final int FILES = 200;

    @TempDir
    Path data;

    /** Embeds offline, one input per request; the first request waits until the test lets it go. */
    static final class GatedProvider implements EmbeddingProvider {
        final OfflineEmbeddingProvider offline = OfflineEmbeddingProvider.withDimensions(64);
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public EmbeddingModel model() {
            return new EmbeddingModel("gated-64", 64, 8191, 1, 8191, 0);
        }

        @Override
        public EmbeddingResult embed(List<String> inputs) {
            if (calls.incrementAndGet() == 1) {
                entered.countDown();
                try {
                    release.await(2, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return offline.embed(inputs);
        }
    }

    @Test
    void cancellingAJobInIndexingStopsItWithinAFewFiles() throws Exception {
        GatedProvider provider = new GatedProvider();
        CompletableFuture<JobCompleted> completed = new CompletableFuture<>();
        AarConfig config = AarConfig.builder()
                .scaleLimits(ScaleLimits.builder().autoApprovalThresholdFiles(10_000).build())
                .embeddingProcessing(EmbeddingProcessing.builder().batchSize(1).maxConcurrency(1).build())
                .build();
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < FILES; i++) {
            files.put("src/F" + i + ".java", "class F" + i + " { int v = " + i + "; }\n");
        }
        try (Aar aar = Aar.builder().config(config).dataDirectory(data).embeddingProvider(provider)
                .listener(e -> {
                    if (e instanceof JobCompleted c) {
                        completed.complete(c);
                    }
                }).build()) {
            Project project = aar.analysis().createProject(OWNER, "many.zip", AnalysisServiceTest.zip(files));
            aar.startWorkers();
            Job job = aar.analysis().submit(OWNER, project.id(), JobPriority.HIGH);

            assertThat(provider.entered.await(2, TimeUnit.MINUTES)).isTrue();
            assertThat(aar.analysis().cancel(OWNER, job.id())).isTrue();
            provider.release.countDown();

            JobCompleted done = completed.get(2, TimeUnit.MINUTES);
            assertThat(done.isSuccess()).isFalse();
            assertThat(done.error()).isEqualTo("cancelled");
            // one request per file: before the check, the phase embedded all 200 before it noticed
            assertThat(provider.calls.get()).isLessThan(FILES / 2);
        }
    }
}
