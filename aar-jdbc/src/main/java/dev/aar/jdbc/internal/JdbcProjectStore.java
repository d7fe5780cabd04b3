package dev.aar.jdbc.internal;

import dev.aar.core.project.Project;
import dev.aar.core.project.ProjectStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.Update;

/** A {@link ProjectStore} in the {@code projects} table. */
public final class JdbcProjectStore implements ProjectStore {

    private final Jdbi jdbi;

    public JdbcProjectStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void create(Project p) {
        Objects.requireNonNull(p, "project");
        int inserted = Sql.call(jdbi, "create project", h -> bind(h.createUpdate("""
                INSERT INTO projects (id, owner_id, name, archive_key, archive_bytes, requires_approval, approved_by,
                    approved_at, created_at)
                VALUES (:id, :owner, :name, :archiveKey, :archiveBytes, :requiresApproval, :approvedBy, :approvedAt,
                    :createdAt)
                ON CONFLICT (id) DO NOTHING"""), p).execute());
        if (inserted == 0) {
            throw new IllegalStateException("project " + p.id() + " already exists");
        }
    }

    @Override
    public Optional<Project> find(String projectId) {
        return Sql.call(jdbi, "find project", h -> h.createQuery("SELECT * FROM projects WHERE id = :id")
                .bind("id", projectId).map(JdbcProjectStore::project).findOne());
    }

    @Override
    public boolean update(Project p) {
        return Sql.call(jdbi, "update project", h -> bind(h.createUpdate("""
                UPDATE projects SET owner_id = :owner, name = :name, archive_key = :archiveKey,
                    archive_bytes = :archiveBytes, requires_approval = :requiresApproval, approved_by = :approvedBy,
                    approved_at = :approvedAt, created_at = :createdAt
                WHERE id = :id"""), p).execute()) == 1;
    }

    @Override
    public List<Project> listByOwner(String ownerId) {
        return Sql.call(jdbi, "list projects", h -> h.createQuery(
                "SELECT * FROM projects WHERE owner_id = :owner ORDER BY created_at DESC, id")
                .bind("owner", ownerId).map(JdbcProjectStore::project).list());
    }

    @Override
    public List<Project> createdBefore(Instant cutoff) {
        return Sql.call(jdbi, "list old projects", h -> h.createQuery(
                "SELECT * FROM projects WHERE created_at < :cutoff ORDER BY created_at, id")
                .bind("cutoff", Sql.millis(cutoff)).map(JdbcProjectStore::project).list());
    }

    @Override
    public boolean delete(String projectId) {
        return Sql.call(jdbi, "delete project", h -> h.createUpdate("DELETE FROM projects WHERE id = :id")
                .bind("id", projectId).execute()) == 1;
    }

    private static Update bind(Update u, Project p) {
        return u.bind("id", p.id()).bind("owner", p.ownerId()).bind("name", p.name())
                .bind("archiveKey", p.archiveKey()).bind("archiveBytes", p.archiveBytes())
                .bind("requiresApproval", p.requiresApproval()).bind("approvedBy", p.approvedBy())
                .bind("approvedAt", Sql.millisOrNull(p.approvedAt())).bind("createdAt", Sql.millis(p.createdAt()));
    }

    private static Project project(ResultSet rs, StatementContext ctx) throws SQLException {
        boolean requiresApproval = rs.getBoolean("requires_approval");
        Boolean verdict = rs.wasNull() ? null : requiresApproval;
        return new Project(rs.getString("id"), rs.getString("owner_id"), rs.getString("name"),
                rs.getString("archive_key"), rs.getLong("archive_bytes"), verdict, rs.getString("approved_by"),
                Sql.instant(rs, "approved_at"), Sql.instant(rs, "created_at"));
    }
}
