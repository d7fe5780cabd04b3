package dev.aar.jdbc.internal;

import dev.aar.core.preflight.JobThroughput;
import dev.aar.core.preflight.ThroughputStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * A {@link ThroughputStore} in the {@code job_throughput} table (V7, the job's wall time since V8), shared by every node on the
 * database. It keeps the newest {@link #KEEP} rows: estimates read far fewer.
 */
public final class JdbcThroughputStore implements ThroughputStore {

    /** Rows kept; older ones are deleted as new ones arrive. */
    public static final int KEEP = 1_000;

    private static final String COLUMNS = "job_id, finished_at, embedding_model, files, bytes, tokens, extracting_millis,"
            + " indexing_millis, analyzing_millis, saving_millis, elapsed_millis, estimated_seconds";

    private final Jdbi jdbi;

    public JdbcThroughputStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void record(JobThroughput t) {
        Objects.requireNonNull(t, "throughput");
        Sql.inTransaction(jdbi, "record the throughput of job " + t.jobId(), h -> {
            h.createUpdate("INSERT INTO job_throughput (" + COLUMNS + ") VALUES (:job, :finished, :model, :files, :bytes,"
                    + " :tokens, :ext, :idx, :ana, :save, :elapsed, :est) ON CONFLICT (job_id) DO UPDATE SET"
                    + " finished_at = excluded.finished_at, embedding_model = excluded.embedding_model,"
                    + " files = excluded.files, bytes = excluded.bytes, tokens = excluded.tokens,"
                    + " extracting_millis = excluded.extracting_millis, indexing_millis = excluded.indexing_millis,"
                    + " analyzing_millis = excluded.analyzing_millis, saving_millis = excluded.saving_millis,"
                    + " elapsed_millis = excluded.elapsed_millis, estimated_seconds = excluded.estimated_seconds")
                    .bind("job", t.jobId()).bind("finished", Sql.millis(t.finishedAt())).bind("model", t.embeddingModel())
                    .bind("files", t.files()).bind("bytes", t.bytes()).bind("tokens", t.tokens())
                    .bind("ext", t.extractingMillis()).bind("idx", t.indexingMillis())
                    .bind("ana", t.analyzingMillis()).bind("save", t.savingMillis())
                    .bind("elapsed", t.elapsedMillis()).bind("est", t.estimatedSeconds()).execute();
            // one indexed range delete per job keeps the table at KEEP rows
            h.createUpdate("DELETE FROM job_throughput WHERE finished_at < (SELECT finished_at FROM job_throughput"
                    + " ORDER BY finished_at DESC LIMIT 1 OFFSET :keep)").bind("keep", KEEP - 1).execute();
            return null;
        });
    }

    @Override
    public List<JobThroughput> recent(int limit) {
        return Sql.call(jdbi, "read recent job throughput", h -> h.createQuery("SELECT " + COLUMNS
                + " FROM job_throughput ORDER BY finished_at DESC, job_id LIMIT :limit")
                .bind("limit", Math.max(limit, 0)).map(JdbcThroughputStore::row).list());
    }

    private static JobThroughput row(ResultSet rs, StatementContext ctx) throws SQLException {
        return new JobThroughput(rs.getString("job_id"), Sql.instant(rs, "finished_at"), rs.getString("embedding_model"),
                rs.getLong("files"), rs.getLong("bytes"), rs.getLong("tokens"), rs.getLong("extracting_millis"),
                rs.getLong("indexing_millis"), rs.getLong("analyzing_millis"), rs.getLong("saving_millis"),
                rs.getLong("elapsed_millis"), rs.getDouble("estimated_seconds"));
    }
}
