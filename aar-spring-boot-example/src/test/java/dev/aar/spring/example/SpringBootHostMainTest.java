package dev.aar.spring.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.Aar;
import dev.aar.core.wiring.internal.Collaborators;
import dev.aar.queue.JobState;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/** The example service over HTTP on a random port: a zip posted is reviewed, and Actuator's health is UP. */
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
        try (var files = Files.walk(data)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    Aar aar;

    @Test
    void aPostedZipIsReviewedAndHealthIsUp() throws Exception {
        RestClient http = RestClient.create("http://127.0.0.1:" + port);
        Map<String, String> queued = http.post().uri("/orgs/acme/reviews").contentType(MediaType.parseMediaType("application/zip"))
                .body(zip()).retrieve().body(new ParameterizedTypeReference<Map<String, String>>() { });
        String jobId = queued.get("jobId");
        assertThat(jobId).isNotBlank();

        JobState state = null;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            state = aar.analysis().job("acme", jobId).orElseThrow().state();
            if (state == JobState.SUCCEEDED || state == JobState.DEAD_LETTERED) {
                break;
            }
            Collaborators.of(aar).jobQueue().awaitWork(java.time.Duration.ofMillis(100));
        }
        assertThat(state).isEqualTo(JobState.SUCCEEDED);

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
}
