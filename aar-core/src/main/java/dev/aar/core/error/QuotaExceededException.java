package dev.aar.core.error;

/** A reservation would take an organization over one of its limits. */
public final class QuotaExceededException extends AarException {

    private final String organizationId;
    private final String limit;
    private final long limitValue;
    private final long used;
    private final long requested;

    /**
     * @param organizationId whose quota
     * @param limit which limit: "MonthlyTokenLimit", "MonthlyProjectLimit" or "StorageLimitBytes"
     * @param limitValue the limit's value
     * @param used how much is already used (including reservations)
     * @param requested how much was asked for
     */
    public QuotaExceededException(String organizationId, String limit, long limitValue, long used, long requested) {
        super("organization '" + organizationId + "' would exceed " + limit + ": limit " + limitValue
                + ", used " + used + ", requested " + requested);
        this.organizationId = organizationId;
        this.limit = limit;
        this.limitValue = limitValue;
        this.used = used;
        this.requested = requested;
    }

    public String organizationId() {
        return organizationId;
    }

    /** Returns which limit would be exceeded. */
    public String limit() {
        return limit;
    }

    public long limitValue() {
        return limitValue;
    }

    public long used() {
        return used;
    }

    public long requested() {
        return requested;
    }

    @Override
    public String code() {
        return "quota.exceeded";
    }
}
