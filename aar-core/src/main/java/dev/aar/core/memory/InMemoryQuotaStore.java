package dev.aar.core.memory;

import dev.aar.core.quota.OrganizationQuota;
import dev.aar.core.quota.QuotaStore;
import dev.aar.core.quota.QuotaUsage;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link QuotaStore} in memory; {@link #tryAdd} is atomic per organization. */
public final class InMemoryQuotaStore implements QuotaStore {

    private final Map<String, OrganizationQuota> quotas = new ConcurrentHashMap<>();

    @Override
    public Optional<OrganizationQuota> find(String organizationId) {
        return Optional.ofNullable(quotas.get(organizationId));
    }

    @Override
    public OrganizationQuota setLimits(String organizationId, long monthlyTokenLimit, int monthlyProjectLimit,
            long storageLimitBytes, Instant now) {
        return quotas.compute(organizationId, (id, q) -> q == null
                ? new OrganizationQuota(id, monthlyTokenLimit, 0, monthlyProjectLimit, 0, storageLimitBytes, 0,
                        now, now, now)
                : new OrganizationQuota(id, monthlyTokenLimit, q.monthlyTokensUsed(), monthlyProjectLimit,
                        q.monthlyProjectsUsed(), storageLimitBytes, q.storageUsedBytes(), q.periodStart(),
                        q.createdAt(), now));
    }

    @Override
    public Optional<OrganizationQuota> tryAdd(String organizationId, QuotaUsage delta, Instant periodStart, Instant now) {
        boolean[] applied = {false};
        OrganizationQuota after = quotas.computeIfPresent(organizationId, (id, q) -> {
            boolean rollover = q.periodStart().isBefore(periodStart);
            long tokens = (rollover ? 0 : q.monthlyTokensUsed()) + delta.tokens();
            long projects = (long) (rollover ? 0 : q.monthlyProjectsUsed()) + delta.projects();
            long storage = q.storageUsedBytes() + delta.storageBytes();
            if ((delta.tokens() > 0 && tokens > q.monthlyTokenLimit())
                    || (delta.projects() > 0 && projects > q.monthlyProjectLimit())
                    || (delta.storageBytes() > 0 && storage > q.storageLimitBytes())) {
                return q;
            }
            applied[0] = true;
            return new OrganizationQuota(id, q.monthlyTokenLimit(), Math.max(0, tokens), q.monthlyProjectLimit(),
                    (int) Math.max(0, projects), q.storageLimitBytes(), Math.max(0, storage),
                    rollover ? periodStart : q.periodStart(), q.createdAt(), now);
        });
        return applied[0] ? Optional.ofNullable(after) : Optional.empty();
    }

    @Override
    public OrganizationQuota createIfAbsent(String organizationId, long monthlyTokenLimit, int monthlyProjectLimit,
            long storageLimitBytes, Instant now) {
        return quotas.computeIfAbsent(organizationId, id -> new OrganizationQuota(id, monthlyTokenLimit, 0,
                monthlyProjectLimit, 0, storageLimitBytes, 0, now, now, now));
    }
}
