package dev.aar.core.quota;

import java.time.Instant;
import java.util.Optional;

/**
 * Stores organization quotas. {@link #tryAdd} is the one way usage changes, and it is atomic: a
 * check and an add in one step (a single conditional UPDATE in SQL), so concurrent nodes never
 * overspend.
 */
public interface QuotaStore {

    /** Returns the organization's quota row, or empty if it has none (then it is unlimited). */
    Optional<OrganizationQuota> find(String organizationId);

    /** Creates the row or changes its limits, keeping usage. */
    OrganizationQuota setLimits(String organizationId, long monthlyTokenLimit, int monthlyProjectLimit,
            long storageLimitBytes, Instant now);

    /**
     * Atomically adds {@code delta} to the organization's usage if no limit would be exceeded
     * (negative amounts always apply; usage never drops below zero). If the row's period started
     * before {@code periodStart}, the monthly counters restart at zero first.
     *
     * @return the row after the change, or empty if a limit would be exceeded (nothing changed)
     *     or the organization has no row
     */
    Optional<OrganizationQuota> tryAdd(String organizationId, QuotaUsage delta, Instant periodStart, Instant now);

    /**
     * Creates the organization's row with these limits and no usage if it has none; an existing
     * row stays as it is (a concurrent {@link #setLimits} wins). Atomic: of concurrent callers,
     * one creates the row and all get it back.
     *
     * @return the row that exists afterwards
     */
    OrganizationQuota createIfAbsent(String organizationId, long monthlyTokenLimit, int monthlyProjectLimit,
            long storageLimitBytes, Instant now);
}
