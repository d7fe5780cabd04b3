package dev.aar.core.quota;

import java.time.Instant;
import java.util.Objects;

/**
 * An amount held against an organization's quota until it is committed or released.
 *
 * <p>A plain value: it can be stored beside the work it pays for (an upload session, a job) and
 * rebuilt later, so a reservation made on one node can be released on another.
 *
 * @param organizationId whose quota holds the amount
 * @param amount what is held
 * @param periodStart the monthly period the amount was counted in (UTC month start)
 */
public record QuotaReservation(String organizationId, QuotaUsage amount, Instant periodStart) {

    public QuotaReservation {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(periodStart, "periodStart");
    }
}
