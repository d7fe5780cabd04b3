package dev.aar.jdbc.internal;

import dev.aar.queue.Checkpoint;
import dev.aar.queue.CheckpointStore;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** A {@link CheckpointStore} in the spec's {@code job_checkpoints} table: one row per job, saved by an atomic upsert. */
public final class JdbcCheckpointStore implements CheckpointStore {

    private final Jdbi jdbi;

    public JdbcCheckpointStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void save(Checkpoint c) {
        Objects.requireNonNull(c, "checkpoint");
        // one statement: concurrent savers never see a half-written row, and created_at stays the first save's
        Sql.call(jdbi, "save checkpoint", h -> h.createUpdate("""
                INSERT INTO job_checkpoints (job_id, project_id, phase, last_processed_file, processed_file_count,
                    total_file_count, checkpoint_data, created_at, updated_at)
                VALUES (:job, :project, :phase, :last, :processed, :total, :data, :createdAt, :updatedAt)
                ON CONFLICT (job_id) DO UPDATE SET project_id = excluded.project_id, phase = excluded.phase,
                    last_processed_file = excluded.last_processed_file,
                    processed_file_count = excluded.processed_file_count, total_file_count = excluded.total_file_count,
                    checkpoint_data = excluded.checkpoint_data, updated_at = excluded.updated_at""")
                .bind("job", c.jobId()).bind("project", c.projectId()).bind("phase", c.phase())
                .bind("last", c.lastProcessedFile()).bind("processed", c.processedFileCount())
                .bind("total", c.totalFileCount()).bind("data", c.data())
                .bind("createdAt", Sql.millis(c.createdAt())).bind("updatedAt", Sql.millis(c.updatedAt()))
                .execute());
    }

    @Override
    public Optional<Checkpoint> find(String jobId) {
        return Sql.call(jdbi, "find checkpoint", h -> h.createQuery("SELECT * FROM job_checkpoints WHERE job_id = :job")
                .bind("job", jobId)
                .map((rs, ctx) -> new Checkpoint(rs.getString("job_id"), rs.getString("project_id"), rs.getString("phase"),
                        rs.getString("last_processed_file"), rs.getInt("processed_file_count"),
                        rs.getInt("total_file_count"), rs.getString("checkpoint_data"), Sql.instant(rs, "created_at"),
                        Sql.instant(rs, "updated_at")))
                .findOne());
    }

    @Override
    public boolean delete(String jobId) {
        return Sql.call(jdbi, "delete checkpoint", h -> h.createUpdate("DELETE FROM job_checkpoints WHERE job_id = :job")
                .bind("job", jobId).execute()) == 1;
    }
}
