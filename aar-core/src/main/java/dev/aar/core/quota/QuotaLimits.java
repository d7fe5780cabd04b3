package dev.aar.core.quota;

/**
 * The three limits of an organization's quota, as an operator sets them; {@link #UNLIMITED_TOKENS},
 * {@link #UNLIMITED_PROJECTS} and {@link #UNLIMITED_STORAGE} stand for "no limit" in a row.
 *
 * @param monthlyTokenLimit embedding tokens allowed per period
 * @param monthlyProjectLimit analyses allowed per period
 * @param storageLimitBytes stored bytes allowed at any time
 */
public record QuotaLimits(long monthlyTokenLimit, int monthlyProjectLimit, long storageLimitBytes) {

    /** A token limit no organization reaches. */
    public static final long UNLIMITED_TOKENS = Long.MAX_VALUE;
    /** A project limit no organization reaches. */
    public static final int UNLIMITED_PROJECTS = Integer.MAX_VALUE;
    /** A storage limit no organization reaches. */
    public static final long UNLIMITED_STORAGE = Long.MAX_VALUE;
    /** No limit at all: organizations without a row get no row. */
    public static final QuotaLimits UNLIMITED = new QuotaLimits(UNLIMITED_TOKENS, UNLIMITED_PROJECTS, UNLIMITED_STORAGE);

    public QuotaLimits {
        if (monthlyTokenLimit < 0 || monthlyProjectLimit < 0 || storageLimitBytes < 0) {
            throw new IllegalArgumentException("quota limits must be >= 0, were tokens=" + monthlyTokenLimit
                    + ", projects=" + monthlyProjectLimit + ", storageBytes=" + storageLimitBytes);
        }
    }

    /**
     * Returns the limits of a configuration where 0 means "no limit" (the {@code ScaleLimits.Default…}
     * settings).
     */
    public static QuotaLimits ofConfigured(long monthlyTokens, int monthlyProjects, long storageBytes) {
        return new QuotaLimits(monthlyTokens == 0 ? UNLIMITED_TOKENS : monthlyTokens,
                monthlyProjects == 0 ? UNLIMITED_PROJECTS : monthlyProjects,
                storageBytes == 0 ? UNLIMITED_STORAGE : storageBytes);
    }

    /** Returns whether none of the three limits is set. */
    public boolean isUnlimited() {
        return equals(UNLIMITED);
    }
}
