package dev.aar.core.quota;

import java.time.Instant;
import java.util.Objects;

/**
 * One organization's limits and usage in the current period (the spec's OrganizationQuotas row).
 *
 * @param organizationId the organization
 * @param monthlyTokenLimit embedding tokens allowed per period
 * @param monthlyTokensUsed embedding tokens used (or reserved) this period
 * @param monthlyProjectLimit analyses allowed per period
 * @param monthlyProjectsUsed analyses used (or reserved) this period
 * @param storageLimitBytes stored bytes allowed at any time
 * @param storageUsedBytes stored bytes used (or reserved)
 * @param periodStart start of the current monthly period (UTC)
 * @param createdAt when the row was created
 * @param updatedAt when it last changed
 */
public record OrganizationQuota(
        String organizationId,
        long monthlyTokenLimit,
        long monthlyTokensUsed,
        int monthlyProjectLimit,
        int monthlyProjectsUsed,
        long storageLimitBytes,
        long storageUsedBytes,
        Instant periodStart,
        Instant createdAt,
        Instant updatedAt) {

    public OrganizationQuota {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(periodStart, "periodStart");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
