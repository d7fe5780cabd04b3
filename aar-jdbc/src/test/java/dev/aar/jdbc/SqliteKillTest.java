package dev.aar.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.queue.JobState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite quick-start store keeps every acknowledged write when its process is killed: a child
 * JVM writes as fast as it can and reports each write after the call returned; it is killed with
 * SIGKILL in the middle of writing, and every reported write must be there on restart.
 */
class SqliteKillTest {

    static final int ACKS_BEFORE_KILL = 600;

    @TempDir
    Path dir;

    @Test
    void aKilledProcessLosesNothingItAcknowledged() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("aar.db");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx96m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), SqliteWriterNode.class.getName(), url)
                .redirectError(dir.resolve("child.err").toFile()).start();
        List<String> acks = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while (acks.size() < ACKS_BEFORE_KILL && (line = out.readLine()) != null) {
                acks.add(line);
            }
            // killed while it keeps writing (destroying the process also closes its output to us)
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } finally {
            child.destroyForcibly();
        }
        assertThat(acks).as("the child wrote nothing; see %s", dir.resolve("child.err")).hasSizeGreaterThanOrEqualTo(
                ACKS_BEFORE_KILL);

        try (JdbcBackend restarted = JdbcBackend.builder().jdbcUrl(url).clock(Clock.systemUTC()).build()) {
            for (String ack : acks) {
                String[] parts = ack.split(" ");
                String id = parts[1];
                switch (parts[0]) {
                    case "enqueued" -> assertThat(restarted.jobQueue().find(id)).as(ack).isPresent();
                    case "checkpointed" -> assertThat(restarted.checkpointStore().find(id)).as(ack).isPresent();
                    case "completed" -> assertThat(restarted.jobQueue().find(id).orElseThrow().state()).as(ack)
                            .isEqualTo(JobState.SUCCEEDED);
                    default -> throw new AssertionError("unexpected line from the child: " + ack);
                }
            }
        }
    }
}
