package dev.aar.spring.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.event.JobCompleted;
import dev.aar.core.event.ProgressEvent;
import dev.aar.core.event.ProgressListener;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/**
 * The example service over HTTP on a random port, as built from its pom (BOM, starter, web, actuator) and
 * {@code application.properties}: a zip posted is reviewed, a listener bean hears the job finish, and
 * Actuator's {@code /actuator/health} shows {@code aar} UP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "management.endpoint.health.show-details=always")
class SpringBootHostMainTest {

    static Path data;

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) throws Exception {
        data = Files.createTempDirectory("aar-example-");
        registry.add("aar.data-directory", data::toString);
    }

    @AfterAll
    static void deleteData() throws Exception {
        try (Stream<Path> files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    CompletedJobs completed;

    @Test
    void aPostedZipIsReviewedAListenerBeanHearsItAndHealthIsUp() throws Exception {
        RestClient http = RestClient.create("http://127.0.0.1:" + port);
        Map<String, String> queued = http.post().uri("/orgs/acme/reviews").contentType(MediaType.parseMediaType("application/zip"))
                .body(zip()).retrieve().body(new ParameterizedTypeReference<Map<String, String>>() { });
        String jobId = queued.get("jobId");
        assertThat(jobId).isNotBlank();

        JobCompleted done = completed.of(jobId).get(2, TimeUnit.MINUTES);

        assertThat(done.isSuccess()).as(done.error()).isTrue();
        assertThat(done.reportId()).isNotBlank();
        String health = http.get().uri("/actuator/health").retrieve().body(String.class);
        assertThat(health).contains("\"aar\":{\"status\":\"UP\"");
    }

    @Test
    void aBodyThatIsNoZipIsRefusedWithTheSdksCode() {
        RestClient http = RestClient.create("http://127.0.0.1:" + port);
        var response = http.post().uri("/orgs/acme/reviews").contentType(MediaType.parseMediaType("application/zip"))
                .body("not a zip".getBytes(StandardCharsets.UTF_8)).retrieve()
                .onStatus(s -> true, (request, r) -> { }).toEntity(String.class);
        assertThat(response.getStatusCode().value()).isEqualTo(422);
        assertThat(response.getBody()).contains("\"code\":\"archive.").doesNotContain("/tmp");
    }

    private static byte[] zip() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < 3; i++) {
                zip.putNextEntry(new ZipEntry("src/B" + i + ".java"));
                zip.write(("class B" + i + " { int g(int x) { return x * " + i + "; } }\n").getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A listener bean as a host writes one; the starter registers every ProgressListener bean. */
    static final class CompletedJobs implements ProgressListener {
        private final Map<String, CompletableFuture<JobCompleted>> jobs = new ConcurrentHashMap<>();

        CompletableFuture<JobCompleted> of(String jobId) {
            return jobs.computeIfAbsent(jobId, id -> new CompletableFuture<>());
        }

        @Override
        public void onEvent(ProgressEvent event) {
            if (event instanceof JobCompleted c) {
                of(c.jobId()).complete(c);
            }
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Listener {
        @Bean
        CompletedJobs completedJobs() {
            return new CompletedJobs();
        }
    }
}
