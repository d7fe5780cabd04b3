package dev.aar.jdbc.internal;

import dev.aar.storage.UploadPart;
import dev.aar.storage.UploadSession;
import dev.aar.storage.UploadSessionStore;
import dev.aar.storage.UploadStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** An {@link UploadSessionStore} in the {@code upload_sessions} and {@code upload_parts} tables. */
public final class JdbcUploadSessionStore implements UploadSessionStore {

    private final Jdbi jdbi;

    public JdbcUploadSessionStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void create(UploadSession s) {
        Objects.requireNonNull(s, "session");
        int inserted = Sql.call(jdbi, "create upload session", h -> h.createUpdate("""
                INSERT INTO upload_sessions (id, api_key_id, file_name, total_size, part_size, total_parts,
                    completed_parts, sha256, storage_path, status, expires_at, created_at)
                VALUES (:id, :owner, :fileName, :totalSize, :partSize, :totalParts, 0, :sha256, :key, :status,
                    :expiresAt, :createdAt)
                ON CONFLICT (id) DO NOTHING""")
                .bind("id", s.id()).bind("owner", s.ownerId()).bind("fileName", s.fileName())
                .bind("totalSize", s.totalSize()).bind("partSize", s.partSize()).bind("totalParts", s.totalParts())
                .bind("sha256", s.sha256()).bind("key", s.storageKey()).bind("status", s.status().name())
                .bind("expiresAt", Sql.millis(s.expiresAt())).bind("createdAt", Sql.millis(s.createdAt()))
                .execute());
        if (inserted == 0) {
            throw new IllegalStateException("upload session " + s.id() + " already exists");
        }
    }

    @Override
    public Optional<UploadSession> find(String sessionId) {
        return Sql.call(jdbi, "find upload session", h -> h.createQuery("SELECT * FROM upload_sessions WHERE id = :id")
                .bind("id", sessionId).map(JdbcUploadSessionStore::session).findOne());
    }

    @Override
    public boolean transition(String sessionId, UploadStatus from, UploadStatus to) {
        return Sql.call(jdbi, "change upload session status", h -> h.createUpdate(
                "UPDATE upload_sessions SET status = :to WHERE id = :id AND status = :from")
                .bind("id", sessionId).bind("from", from.name()).bind("to", to.name()).execute()) == 1;
    }

    @Override
    public void putPart(String sessionId, UploadPart part) {
        Sql.inTransaction(jdbi, "record upload part", h -> {
            // a no-op update first: it checks the session exists and locks its row, so concurrent
            // putPart calls count completed parts one after the other
            int exists = h.createUpdate("UPDATE upload_sessions SET completed_parts = completed_parts WHERE id = :id")
                    .bind("id", sessionId).execute();
            if (exists == 0) {
                throw new IllegalStateException("upload session " + sessionId + " does not exist");
            }
            h.createUpdate("""
                    INSERT INTO upload_parts (session_id, part_number, size, sha256, received_at)
                    VALUES (:id, :n, :size, :sha256, :at)
                    ON CONFLICT (session_id, part_number)
                    DO UPDATE SET size = excluded.size, sha256 = excluded.sha256, received_at = excluded.received_at""")
                    .bind("id", sessionId).bind("n", part.partNumber()).bind("size", part.size())
                    .bind("sha256", part.sha256()).bind("at", Sql.millis(part.receivedAt())).execute();
            // the spec's CompletedParts column, kept in step with the part records
            h.createUpdate("""
                    UPDATE upload_sessions SET completed_parts =
                        (SELECT COUNT(*) FROM upload_parts WHERE session_id = :id) WHERE id = :id""")
                    .bind("id", sessionId).execute();
            return null;
        });
    }

    @Override
    public List<UploadPart> parts(String sessionId) {
        return Sql.call(jdbi, "list upload parts", h -> h.createQuery(
                "SELECT * FROM upload_parts WHERE session_id = :id ORDER BY part_number")
                .bind("id", sessionId)
                .map((rs, ctx) -> part(rs))
                .list());
    }

    private static UploadPart part(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new UploadPart(rs.getInt("part_number"), rs.getLong("size"), rs.getString("sha256"),
                Sql.instant(rs, "received_at"));
    }

    @Override
    public Optional<UploadPart> part(String sessionId, int partNumber) {
        // the primary key (session_id, part_number) answers this without reading the other parts
        return Sql.call(jdbi, "find upload part", h -> h.createQuery(
                "SELECT * FROM upload_parts WHERE session_id = :id AND part_number = :n")
                .bind("id", sessionId).bind("n", partNumber)
                .map((rs, ctx) -> part(rs))
                .findOne());
    }

    @Override
    public List<UploadSession> findExpired(Instant now) {
        return Sql.call(jdbi, "find expired upload sessions", h -> h.createQuery("""
                SELECT * FROM upload_sessions
                WHERE status IN ('ACTIVE', 'FINALIZING') AND expires_at <= :now ORDER BY expires_at""")
                .bind("now", Sql.millis(now)).map(JdbcUploadSessionStore::session).list());
    }

    @Override
    public List<UploadSession> findClosed(Instant expiredBy, int limit) {
        return Sql.call(jdbi, "find closed upload sessions", h -> h.createQuery("""
                SELECT * FROM upload_sessions
                WHERE status IN ('COMPLETED', 'CANCELLED', 'EXPIRED') AND expires_at <= :cutoff
                ORDER BY expires_at, id LIMIT :limit""")
                .bind("cutoff", Sql.millis(expiredBy)).bind("limit", limit)
                .map(JdbcUploadSessionStore::session).list());
    }

    @Override
    public boolean delete(String sessionId) {
        return Sql.inTransaction(jdbi, "delete upload session", h -> {
            // explicit, so it holds even where foreign keys are not enforced (a host's SQLite DataSource)
            h.createUpdate("DELETE FROM upload_parts WHERE session_id = :id").bind("id", sessionId).execute();
            return h.createUpdate("DELETE FROM upload_sessions WHERE id = :id").bind("id", sessionId).execute() == 1;
        });
    }

    private static UploadSession session(ResultSet rs, StatementContext ctx) throws SQLException {
        return new UploadSession(rs.getString("id"), rs.getString("api_key_id"), rs.getString("file_name"),
                rs.getLong("total_size"), rs.getLong("part_size"), rs.getInt("total_parts"), rs.getString("sha256"),
                rs.getString("storage_path"), UploadStatus.valueOf(rs.getString("status")),
                Sql.instant(rs, "expires_at"), Sql.instant(rs, "created_at"));
    }
}
