package dev.aar.core.quota;

/**
 * An amount to reserve against, or give back to, an organization's quota.
 *
 * @param tokens embedding tokens
 * @param projects analyses
 * @param storageBytes stored bytes (may be negative to release storage)
 */
public record QuotaUsage(long tokens, int projects, long storageBytes) {

    /** Nothing. */
    public static final QuotaUsage NONE = new QuotaUsage(0, 0, 0);

    public static QuotaUsage tokens(long tokens) {
        return new QuotaUsage(tokens, 0, 0);
    }

    public static QuotaUsage projects(int projects) {
        return new QuotaUsage(0, projects, 0);
    }

    public static QuotaUsage storage(long bytes) {
        return new QuotaUsage(0, 0, bytes);
    }

    /** Returns the opposite amount (to release a reservation). */
    public QuotaUsage negate() {
        return new QuotaUsage(-tokens, -projects, -storageBytes);
    }
}
