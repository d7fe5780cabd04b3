package dev.aar.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.aar.core.Aar;
import dev.aar.core.embedding.OfflineEmbeddingProvider;
import dev.aar.core.project.Project;
import dev.aar.embedding.EmbeddingModel;
import dev.aar.embedding.EmbeddingProvider;
import dev.aar.embedding.EmbeddingResult;
import dev.aar.jdbc.JdbcBackend;
import dev.aar.queue.Job;
import dev.aar.queue.JobPriority;
import dev.aar.queue.JobState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Closing the context stops the workers gracefully: a job running at that moment finishes within the grace. */
class AarLifecycleTest {

    @TempDir
    Path dir;

    @Test
    void aJobRunningWhenTheContextClosesFinishesWithinTheGrace() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("aar.db");
        GatedProvider provider = new GatedProvider();
        String[] jobId = new String[1];
        try (HikariDataSource dataSource = pool(url)) {
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AarAutoConfiguration.class))
                    .withPropertyValues("aar.data-directory=" + dir.resolve("data"),
                            "aar.worker-processing.shutdown-grace-seconds=120", "aar.housekeeping.enabled=false")
                    .withBean(javax.sql.DataSource.class, () -> dataSource)
                    .withBean(AarBuilderCustomizer.class, () -> b -> b.embeddingProvider(provider))
                    .run(context -> {
                        Aar aar = context.getBean(Aar.class);
                        AarLifecycle lifecycle = context.getBean(AarLifecycle.class);
                        Project project = aar.analysis().createProject("org", "p.zip", new ByteArrayInputStream(zip()));
                        Job job = aar.analysis().submit("org", project.id(), JobPriority.NORMAL);
                        jobId[0] = job.id();
                        assertThat(provider.entered.await(2, TimeUnit.MINUTES)).as("the job reached embedding").isTrue();

                        Thread closer = new Thread(context::close, "context-close");
                        closer.start();
                        // the gate opens only once the stop has begun: the job is still running at shutdown
                        while (lifecycle.isRunning()) {
                            Thread.onSpinWait();
                        }
                        provider.gate.countDown();
                        closer.join(TimeUnit.MINUTES.toMillis(3));
                        assertThat(closer.isAlive()).isFalse();
                    });
        }
        try (HikariDataSource dataSource = pool(url); JdbcBackend db = JdbcBackend.create(dataSource)) {
            Job job = db.jobQueue().find(jobId[0]).orElseThrow();
            assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(job.attempts()).isEqualTo(1);
        }
    }

    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }

    private static byte[] zip() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < 3; i++) {
                zip.putNextEntry(new ZipEntry("src/A" + i + ".java"));
                zip.write(("class A" + i + " { int f(int x) { return x + " + i + "; } }\n").getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Holds every embedding call until the gate opens; says when the first one arrives. */
    static final class GatedProvider implements EmbeddingProvider {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);
        private final OfflineEmbeddingProvider offline = OfflineEmbeddingProvider.create();

        @Override
        public EmbeddingModel model() {
            return offline.model();
        }

        @Override
        public EmbeddingResult embed(List<String> inputs) {
            entered.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while gated", e);
            }
            return offline.embed(inputs);
        }
    }
}
