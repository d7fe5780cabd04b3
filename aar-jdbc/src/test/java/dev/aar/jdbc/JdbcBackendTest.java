package dev.aar.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.core.Aar;
import dev.aar.core.wiring.internal.Collaborators;
import dev.aar.queue.JobPriority;
import dev.aar.queue.JobRequest;
import java.time.Clock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcBackendTest {

    @Test
    void picksTheCustomizationFromTheDatabaseMetadata() throws Exception {
        try (TestDatabase db = TestDatabase.sqlite(); JdbcBackend backend = db.open(Clock.systemUTC())) {
            assertThat(backend.database()).isEqualTo("sqlite");
        }
    }

    @Test
    void picksPostgresqlForAPostgresqlUrl() throws Exception {
        try (TestDatabase db = TestDatabase.postgres(); JdbcBackend backend = db.open(Clock.systemUTC())) {
            assertThat(backend.database()).isEqualTo("postgresql");
        }
    }

    @Test
    void sqliteConnectionsRunInWalModeWithForeignKeys() throws Exception {
        try (TestDatabase db = TestDatabase.sqlite(); JdbcBackend backend = db.open(Clock.systemUTC())) {
            var job = backend.jobQueue().enqueue(JobRequest.of("t", "{}", JobPriority.LOW));
            // a job error for a job that does not exist violates the foreign key
            assertThatThrownBy(() -> org.jdbi.v3.core.Jdbi.create(db.url()).useHandle(h -> {
                h.execute("PRAGMA foreign_keys = ON");
                h.execute("INSERT INTO job_errors (job_id, attempt, at, message) VALUES (999999, 1, 0, 'x')");
            })).hasMessageContaining("FOREIGN KEY");
            String mode = org.jdbi.v3.core.Jdbi.create(db.url()).withHandle(h ->
                    h.createQuery("PRAGMA journal_mode").mapTo(String.class).one());
            assertThat(mode).isEqualToIgnoringCase("wal");
            assertThat(job.id()).isNotBlank();
        }
    }

    @Test
    void refusesAnUnsupportedUrl() {
        assertThatThrownBy(() -> JdbcBackend.create("jdbc:mysql://localhost/aar?password=secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:postgresql:")
                .hasMessageNotContaining("secret");
    }

    @Test
    void builderRefusesBadSettings() {
        assertThatThrownBy(() -> JdbcBackend.builder().build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> JdbcBackend.builder().poolSize(1)).hasMessageContaining("poolSize");
        assertThatThrownBy(() -> JdbcBackend.builder().maxIdleWait(Duration.ZERO)).hasMessageContaining("maxIdleWait");
    }

    @Test
    void appliesItsStoresToTheSdkBuilder(@TempDir Path dataDir) throws Exception {
        try (TestDatabase db = TestDatabase.sqlite(); JdbcBackend backend = db.open(Clock.systemUTC());
                Aar aar = backend.applyTo(Aar.builder().dataDirectory(dataDir)).build()) {
            assertThat(Collaborators.of(aar).uploadSessionStore()).isSameAs(backend.uploadSessionStore());
            assertThat(Collaborators.of(aar).checkpointStore()).isSameAs(backend.checkpointStore());
            assertThat(Collaborators.of(aar).quotaStore()).isSameAs(backend.quotaStore());
            assertThat(Collaborators.of(aar).projectStore()).isSameAs(backend.projectStore());
            assertThat(Collaborators.of(aar).embeddingStore()).isSameAs(backend.embeddingStore());
            assertThat(Collaborators.of(aar).reportStore()).isSameAs(backend.reportStore());
            assertThat(Collaborators.of(aar).jobQueue()).isSameAs(backend.jobQueue());
        }
    }
}
