package dev.aar.spring.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.Aar;
import dev.aar.core.event.JobCompleted;
import dev.aar.core.event.ProgressListener;
import dev.aar.core.preflight.Approval;
import dev.aar.core.project.Project;
import dev.aar.core.wiring.internal.Collaborators;
import dev.aar.queue.Job;
import dev.aar.queue.JobPriority;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;

/**
 * {@link AarSpringBootTest} with {@code spring-boot-starter-jdbc} and {@code spring.datasource.url}: the
 * stores and queue are in the application's database (SQLite here), and the health checks it.
 */
@SpringBootTest(classes = AarSpringBootJdbcTest.App.class, properties = {
        "aar.worker-processing.max-concurrent-jobs=1", 
        "spring.datasource.url=jdbc:sqlite:target/aar-spring-boot-jdbc-test-${random.uuid}.db",
        // Boot 3.5's Flyway auto-configuration is built for Flyway 11; aar-jdbc migrates itself with Flyway 13
        "spring.flyway.enabled=false",
        "aar.embedding-processing.batch-size=16",
        "management.endpoint.health.show-details=always"})
@DirtiesContext
class AarSpringBootJdbcTest {

    @Autowired
    Aar aar;

    @Autowired
    CompletedJobs completed;

    @Autowired
    HealthEndpoint health;

    @Autowired
    MeterRegistry meters;

    @Autowired
    dev.aar.jdbc.JdbcBackend db;

    @Test
    void aZipIsReviewedThroughTheInjectedAarAndTheListenerBeanHearsIt() throws Exception {
        Project project = aar.analysis().createProject("acme", "small.zip", new ByteArrayInputStream(zip(5)));
        // approved as the host would if preflight asks for it; a codebase this small is queued either way
        Job job = aar.analysis().submit("acme", project.id(), JobPriority.NORMAL, Approval.of("spring-test", "small fixture"));

        JobCompleted done = completed.future.get(2, TimeUnit.MINUTES);

        assertThat(done.jobId()).isEqualTo(job.id());
        assertThat(done.isSuccess()).as(done.error()).isTrue();
        assertThat(aar.analysis().report("acme", done.reportId())).isPresent();
        // the SDK's meters are in the application's registry, where Actuator's /metrics finds them
        assertThat(aar.meterRegistry()).isSameAs(meters);
        assertThat(meters.find("aar.jobs.completed").counters()).isNotEmpty();
        assertThat(Collaborators.of(aar).jobQueue()).isSameAs(db.jobQueue());
        assertThat(db.jobQueue().find(job.id())).isPresent();
    }

    @Test
    void actuatorReportsAarUp() {
        var aarHealth = (org.springframework.boot.actuate.health.Health) health.healthForPath("aar");
        assertThat(aarHealth.getStatus()).isEqualTo(Status.UP);
        assertThat(aarHealth.getDetails().get("database").toString()).contains("sqlite schema v");
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    private static byte[] zip(int files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < files; i++) {
                StringBuilder text = new StringBuilder("package demo;\n\npublic class Demo" + i + " {\n");
                for (int m = 0; m < 20; m++) {
                    text.append("    int method").append(m).append("(int x) { return x * ").append(m + i).append("; }\n\n");
                }
                zip.putNextEntry(new ZipEntry("src/demo/Demo" + i + ".java"));
                zip.write(text.append("}\n").toString().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** The first JobCompleted event. */
    static final class CompletedJobs implements ProgressListener {
        final CompletableFuture<JobCompleted> future = new CompletableFuture<>();

        @Override
        public void onEvent(dev.aar.core.event.ProgressEvent event) {
            if (event instanceof JobCompleted c) {
                future.complete(c);
            }
        }
    }

    @SpringBootApplication
    static class App {
        @Bean
        CompletedJobs completedJobs() {
            return new CompletedJobs();
        }
    }
}
