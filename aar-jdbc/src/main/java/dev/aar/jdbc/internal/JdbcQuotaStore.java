package dev.aar.jdbc.internal;

import dev.aar.core.quota.OrganizationQuota;
import dev.aar.core.quota.QuotaStore;
import dev.aar.core.quota.QuotaUsage;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * A {@link QuotaStore} in the spec's {@code organization_quotas} table.
 *
 * <p>{@link #tryAdd} is one conditional {@code UPDATE … RETURNING}: the period rollover, the limit
 * checks and the addition happen in a single statement on the row, so concurrent nodes never
 * overspend (the database serialises the updates of a row and re-checks the condition).
 */
public final class JdbcQuotaStore implements QuotaStore {

    private static final String COLUMNS = "organization_id, monthly_token_limit, monthly_tokens_used, "
            + "monthly_project_limit, monthly_projects_used, storage_limit_bytes, storage_used_bytes, period_start, "
            + "created_at, updated_at";

    private final Jdbi jdbi;
    private final String tryAddSql;

    public JdbcQuotaStore(Jdbi jdbi, Customization customization) {
        this.jdbi = jdbi;
        String max = customization.greatestFunction();
        String tokensBase = "(CASE WHEN period_start < :periodStart THEN 0 ELSE monthly_tokens_used END)";
        String projectsBase = "(CASE WHEN period_start < :periodStart THEN 0 ELSE monthly_projects_used END)";
        this.tryAddSql = "UPDATE organization_quotas SET"
                + " monthly_tokens_used = " + max + "(0, " + tokensBase + " + :tokens),"
                + " monthly_projects_used = " + max + "(0, " + projectsBase + " + :projects),"
                + " storage_used_bytes = " + max + "(0, storage_used_bytes + :storage),"
                + " period_start = CASE WHEN period_start < :periodStart THEN :periodStart ELSE period_start END,"
                + " updated_at = :now"
                + " WHERE organization_id = :org"
                + " AND (:tokens <= 0 OR " + tokensBase + " + :tokens <= monthly_token_limit)"
                + " AND (:projects <= 0 OR " + projectsBase + " + :projects <= monthly_project_limit)"
                + " AND (:storage <= 0 OR storage_used_bytes + :storage <= storage_limit_bytes)"
                + " RETURNING " + COLUMNS;
    }

    @Override
    public Optional<OrganizationQuota> find(String organizationId) {
        return Sql.call(jdbi, "find quota", h -> h.createQuery(
                "SELECT " + COLUMNS + " FROM organization_quotas WHERE organization_id = :org")
                .bind("org", organizationId).map(JdbcQuotaStore::quota).findOne());
    }

    @Override
    public OrganizationQuota setLimits(String organizationId, long monthlyTokenLimit, int monthlyProjectLimit,
            long storageLimitBytes, Instant now) {
        Objects.requireNonNull(organizationId, "organizationId");
        return Sql.call(jdbi, "set quota limits", h -> h.createQuery("""
                INSERT INTO organization_quotas (id, organization_id, monthly_token_limit, monthly_tokens_used,
                    monthly_project_limit, monthly_projects_used, storage_limit_bytes, storage_used_bytes,
                    period_start, created_at, updated_at)
                VALUES (:id, :org, :tokenLimit, 0, :projectLimit, 0, :storageLimit, 0, :now, :now, :now)
                ON CONFLICT (organization_id) DO UPDATE SET monthly_token_limit = excluded.monthly_token_limit,
                    monthly_project_limit = excluded.monthly_project_limit,
                    storage_limit_bytes = excluded.storage_limit_bytes, updated_at = excluded.updated_at
                RETURNING\s""" + COLUMNS)
                .bind("id", UUID.randomUUID().toString()).bind("org", organizationId)
                .bind("tokenLimit", monthlyTokenLimit).bind("projectLimit", monthlyProjectLimit)
                .bind("storageLimit", storageLimitBytes).bind("now", Sql.millis(now))
                .map(JdbcQuotaStore::quota).one());
    }

    @Override
    public Optional<OrganizationQuota> tryAdd(String organizationId, QuotaUsage delta, Instant periodStart, Instant now) {
        return Sql.call(jdbi, "reserve quota", h -> h.createQuery(tryAddSql)
                .bind("org", organizationId).bind("tokens", delta.tokens()).bind("projects", (long) delta.projects())
                .bind("storage", delta.storageBytes()).bind("periodStart", Sql.millis(periodStart))
                .bind("now", Sql.millis(now))
                .map(JdbcQuotaStore::quota).findOne());
    }

    @Override
    public OrganizationQuota createIfAbsent(String organizationId, long monthlyTokenLimit, int monthlyProjectLimit,
            long storageLimitBytes, Instant now) {
        Objects.requireNonNull(organizationId, "organizationId");
        return Sql.call(jdbi, "create default quota", h -> {
            // DO NOTHING keeps a row another node or an operator wrote first; the SELECT then returns that row
            h.createUpdate("""
                    INSERT INTO organization_quotas (id, organization_id, monthly_token_limit, monthly_tokens_used,
                        monthly_project_limit, monthly_projects_used, storage_limit_bytes, storage_used_bytes,
                        period_start, created_at, updated_at)
                    VALUES (:id, :org, :tokenLimit, 0, :projectLimit, 0, :storageLimit, 0, :now, :now, :now)
                    ON CONFLICT (organization_id) DO NOTHING""")
                    .bind("id", UUID.randomUUID().toString()).bind("org", organizationId)
                    .bind("tokenLimit", monthlyTokenLimit).bind("projectLimit", monthlyProjectLimit)
                    .bind("storageLimit", storageLimitBytes).bind("now", Sql.millis(now)).execute();
            return h.createQuery("SELECT " + COLUMNS + " FROM organization_quotas WHERE organization_id = :org")
                    .bind("org", organizationId).map(JdbcQuotaStore::quota).one();
        });
    }

    private static OrganizationQuota quota(ResultSet rs, StatementContext ctx) throws SQLException {
        return new OrganizationQuota(rs.getString("organization_id"), rs.getLong("monthly_token_limit"),
                rs.getLong("monthly_tokens_used"), rs.getInt("monthly_project_limit"), rs.getInt("monthly_projects_used"),
                rs.getLong("storage_limit_bytes"), rs.getLong("storage_used_bytes"), Sql.instant(rs, "period_start"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }
}
