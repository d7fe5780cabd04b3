package dev.aar.examples.server;

import dev.aar.jdbc.ApiKeyTable;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Keys in the database's {@code api_keys} table: every node reads the table on each request, so a
 * key created, revoked or rotated on one node counts on all of them at once.
 */
final class TableKeyRecords implements KeyRecords {

    private final ApiKeyTable table;

    TableKeyRecords(ApiKeyTable table) {
        this.table = table;
    }

    @Override
    public List<ApiKey> all() {
        return table.list().stream().map(TableKeyRecords::key).toList();
    }

    @Override
    public Optional<ApiKey> findBySha256(String sha256) {
        return table.findBySha256(sha256).map(TableKeyRecords::key);
    }

    @Override
    public void insert(ApiKey key) {
        table.insert(row(key));
    }

    @Override
    public boolean insertIfEmpty(ApiKey key) {
        return table.insertIfEmpty(row(key));
    }

    @Override
    public boolean revoke(String id, Instant at) {
        return table.revoke(id, at);
    }

    @Override
    public boolean rotate(ApiKey next, String oldId, Instant oldRevokedAt) {
        return table.rotate(row(next), oldId, oldRevokedAt);
    }

    @Override
    public void touch(String id, Instant at) {
        table.touch(id, at);
    }

    @Override
    public String describe() {
        return "the database (table api_keys)";
    }

    private static ApiKey key(ApiKeyTable.Row r) {
        return new ApiKey(r.id(), r.organizationId(), r.name(), r.sha256(), r.createdAt(), r.rights(), r.lastUsedAt(),
                r.revokedAt());
    }

    private static ApiKeyTable.Row row(ApiKey k) {
        return new ApiKeyTable.Row(k.id(), k.organizationId(), k.name() == null ? "" : k.name(), k.sha256(), k.rights(),
                k.createdAt(), k.lastUsedAt(), k.revokedAt());
    }
}
