package dev.aar.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aar.core.config.AarConfig;
import dev.aar.core.wiring.internal.Collaborators;
import dev.aar.queue.JobPriority;
import dev.aar.queue.Lease;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/v1/jobs/{id}} shows a job's errors without server paths or secrets, even ones stored raw. */
class JobErrorViewTest {

    @TempDir
    Path dir;

    private ApiHarness api;

    @BeforeEach
    void start() {
        api = new ApiHarness(dir, AarConfig.defaults());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void anErrorStoredWithAPathAndASecretIsShownMasked() {
        String projectId = api.body(api.postBytes(api.keyA, "/api/v1/projects/upload",
                ApiHarness.zip(Map.of("a.py", "x = 1\n")))).get("id").asText();
        String jobId = api.body(api.postJson(api.keyA, "/api/v1/projects/" + projectId + "/analyses", "")).get("jobId").asText();
        // an error as an older version (or a host's own worker) may have stored it
        Lease lease = Collaborators.of(api.aar).jobQueue().claim("w1", 1, Duration.ofMinutes(5), JobPriority.LOW).get(0);
        assertThat(lease.jobId()).isEqualTo(jobId);
        Collaborators.of(api.aar).jobQueue().fail(jobId, lease.fencingToken(), "java.io.UncheckedIOException: extraction into "
                + "/srv/aar-data/work/1/src failed with https://ci:glpat-Zq8Lm3Vt7Rw2Ks9Np4Jx@git.acme.io/x.git",
                Instant.now().plusSeconds(3600));

        JsonNode job = api.body(api.get(api.keyA, "/api/v1/jobs/" + jobId));

        String shown = job.at("/errors/0/message").asText();
        assertThat(shown).isEqualTo("java.io.UncheckedIOException: extraction into …/src failed with "
                + "https://ci:********@git.acme.io/x.git");
    }
}
