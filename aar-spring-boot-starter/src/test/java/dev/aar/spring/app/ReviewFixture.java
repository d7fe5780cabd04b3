package dev.aar.spring.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.Aar;
import dev.aar.core.event.JobCompleted;
import dev.aar.core.event.ProgressEvent;
import dev.aar.core.event.ProgressListener;
import dev.aar.core.preflight.Approval;
import dev.aar.core.project.Project;
import dev.aar.queue.Job;
import dev.aar.queue.JobPriority;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * What the application tests share: the application (a listener bean and nothing else of its own), a small Java
 * codebase as a zip, and a review of it through the injected {@link Aar}.
 */
final class ReviewFixture {

    private ReviewFixture() {
    }

    /**
     * Reviews a five-file zip for {@code acme} (approved as a host would if preflight asks) and waits for the
     * listener bean to hear the job finish; returns the event after checking it succeeded with a report.
     */
    static JobCompleted review(Aar aar, CompletedJobs completed) throws Exception {
        Project project = aar.analysis().createProject("acme", "small.zip", new ByteArrayInputStream(zip(5)));
        Job job = aar.analysis().submit("acme", project.id(), JobPriority.NORMAL, Approval.of("spring-test", "small fixture"));

        JobCompleted done = completed.future.get(2, TimeUnit.MINUTES);

        assertThat(done.jobId()).isEqualTo(job.id());
        assertThat(done.isSuccess()).as(done.error()).isTrue();
        assertThat(aar.analysis().report("acme", done.reportId())).isPresent();
        return done;
    }

    /** A zip of {@code files} small Java classes. */
    static byte[] zip(int files) {
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The first JobCompleted event; a bean of the application, so the starter registers it. */
    static final class CompletedJobs implements ProgressListener {
        final CompletableFuture<JobCompleted> future = new CompletableFuture<>();

        @Override
        public void onEvent(ProgressEvent event) {
            if (event instanceof JobCompleted c) {
                future.complete(c);
            }
        }
    }

    /**
     * The application: a listener bean, no wiring. In a package of its own: scanning the starter's package would
     * pick its configurations up as the application's.
     */
    @SpringBootApplication
    static class App {
        @Bean
        CompletedJobs completedJobs() {
            return new CompletedJobs();
        }
    }
}
