package dev.aar.jdbc.internal;

import dev.aar.jdbc.ApiKeyTable;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** The {@link ApiKeyTable} in the {@code api_keys} table (migration V6). */
public final class JdbcApiKeyTable implements ApiKeyTable {

    private static final String COLUMNS = "id, organization_id, name, key_sha256, rights, created_at, last_used_at, revoked_at";

    private final Jdbi jdbi;

    public JdbcApiKeyTable(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public List<Row> list() {
        return Sql.call(jdbi, "list API keys", h -> h.createQuery(
                "SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at, id").map(JdbcApiKeyTable::row).list());
    }

    @Override
    public Optional<Row> findBySha256(String sha256) {
        return Sql.call(jdbi, "find API key", h -> h.createQuery(
                "SELECT " + COLUMNS + " FROM api_keys WHERE key_sha256 = :sha").bind("sha", sha256)
                .map(JdbcApiKeyTable::row).findOne());
    }

    @Override
    public void insert(Row row) {
        Sql.call(jdbi, "insert API key", h -> insert(h, row, ""));
    }

    @Override
    public boolean insertIfEmpty(Row row) {
        // one statement, so two nodes starting together on an empty table rarely both issue a first key
        return Sql.call(jdbi, "insert first API key",
                h -> insert(h, row, " WHERE NOT EXISTS (SELECT 1 FROM api_keys)")) == 1;
    }

    @Override
    public boolean revoke(String id, java.time.Instant at) {
        return Sql.call(jdbi, "revoke API key", h -> revoke(h, id, at));
    }

    @Override
    public boolean rotate(Row next, String oldId, java.time.Instant oldRevokedAt) {
        return Sql.inTransaction(jdbi, "rotate API key", h -> {
            if (!revoke(h, oldId, oldRevokedAt)) {
                return false;
            }
            insert(h, next, "");
            return true;
        });
    }

    @Override
    public void touch(String id, java.time.Instant at) {
        Sql.call(jdbi, "record API key use", h -> h.createUpdate(
                "UPDATE api_keys SET last_used_at = :at WHERE id = :id AND (last_used_at IS NULL OR last_used_at < :at)")
                .bind("id", id).bind("at", Sql.millis(at)).execute());
    }

    private static int insert(Handle h, Row row, String condition) {
        return h.createUpdate("INSERT INTO api_keys (" + COLUMNS + ") SELECT :id, :org, :name, :sha, :rights, :created, "
                + ":lastUsed, :revoked" + condition)
                .bind("id", row.id()).bind("org", row.organizationId()).bind("name", row.name())
                .bind("sha", row.sha256()).bind("rights", String.join(",", new TreeSet<>(row.rights())))
                .bind("created", Sql.millis(row.createdAt())).bind("lastUsed", Sql.millisOrNull(row.lastUsedAt()))
                .bind("revoked", Sql.millisOrNull(row.revokedAt())).execute();
    }

    private static boolean revoke(Handle h, String id, java.time.Instant at) {
        h.createUpdate("UPDATE api_keys SET revoked_at = :at WHERE id = :id AND (revoked_at IS NULL OR revoked_at > :at)")
                .bind("id", id).bind("at", Sql.millis(at)).execute();
        return h.createQuery("SELECT COUNT(*) FROM api_keys WHERE id = :id").bind("id", id).mapTo(Integer.class).one() > 0;
    }

    private static Row row(ResultSet rs, StatementContext ctx) throws SQLException {
        String rights = rs.getString("rights");
        Set<String> set = rights == null || rights.isBlank() ? Set.of()
                : Arrays.stream(rights.split(",")).map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        return new Row(rs.getString("id"), rs.getString("organization_id"), rs.getString("name"),
                rs.getString("key_sha256"), set, Sql.instant(rs, "created_at"), Sql.instant(rs, "last_used_at"),
                Sql.instant(rs, "revoked_at"));
    }
}
