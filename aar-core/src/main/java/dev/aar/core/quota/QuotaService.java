package dev.aar.core.quota;

import dev.aar.core.error.QuotaExceededException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

/**
 * Reserve-then-commit accounting of organization quotas over a {@link QuotaStore}.
 *
 * <p>A reservation counts immediately, so concurrent callers never overspend: the store's
 * {@link QuotaStore#tryAdd} checks and adds in one atomic step. Work that finishes commits its
 * actual amount ({@link #commit}); work that is abandoned gives the amount back ({@link #release}).
 * Monthly counters (tokens, projects) restart on the first day of each UTC calendar month; storage
 * is not monthly. An organization without a quota row gets the default limits (a row is created
 * with them at its first reservation), or is unlimited when there are none ({@link QuotaLimits#UNLIMITED}).
 *
 * <p>The pipeline's accounting points: {@link #reserveStorage} when an upload session is created,
 * {@link #reserveAnalysis} when an analysis is queued, {@link #recordTokens} when embeddings are made.
 */
public final class QuotaService {

    /** Limit names as they appear in {@link QuotaExceededException#limit()} (the spec's column names). */
    public static final String MONTHLY_TOKEN_LIMIT = "MonthlyTokenLimit";
    public static final String MONTHLY_PROJECT_LIMIT = "MonthlyProjectLimit";
    public static final String STORAGE_LIMIT_BYTES = "StorageLimitBytes";

    // a refused tryAdd is re-read to name the limit; if usage dropped meanwhile, try again
    private static final int ATTEMPTS = 5;

    private final QuotaStore store;
    private final Clock clock;
    private final QuotaLimits defaults;

    /** Accounts over {@code store}; organizations without a row are unlimited. */
    public QuotaService(QuotaStore store, Clock clock) {
        this(store, clock, QuotaLimits.UNLIMITED);
    }

    /** Accounts over {@code store}; an organization without a row gets one with {@code defaults} when it first reserves. */
    public QuotaService(QuotaStore store, Clock clock, QuotaLimits defaults) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.defaults = Objects.requireNonNull(defaults, "defaults");
    }

    /** Returns the limits of organizations without a row ({@link QuotaLimits#UNLIMITED} when there are none). */
    public QuotaLimits defaults() {
        return defaults;
    }

    /** Returns the start (00:00 UTC on the 1st) of the calendar month holding {@code now}. */
    public static Instant periodStart(Instant now) {
        LocalDate day = now.atZone(ZoneOffset.UTC).toLocalDate();
        return day.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Creates the organization's quota row or changes its limits, keeping usage. */
    public OrganizationQuota setLimits(String organizationId, long monthlyTokenLimit, int monthlyProjectLimit,
            long storageLimitBytes) {
        if (monthlyTokenLimit < 0 || monthlyProjectLimit < 0 || storageLimitBytes < 0) {
            throw new IllegalArgumentException("quota limits must be >= 0, were tokens=" + monthlyTokenLimit
                    + ", projects=" + monthlyProjectLimit + ", storageBytes=" + storageLimitBytes);
        }
        return store.setLimits(organizationId, monthlyTokenLimit, monthlyProjectLimit, storageLimitBytes, clock.instant());
    }

    /**
     * Returns the organization's quota as of now (monthly counters read as zero after a rollover);
     * the default limits with no usage if it has no row yet; empty if unlimited.
     */
    public Optional<OrganizationQuota> usage(String organizationId) {
        Instant now = clock.instant();
        Instant period = periodStart(now);
        Optional<OrganizationQuota> row = store.find(organizationId);
        if (row.isEmpty() && !defaults.isUnlimited()) {
            return Optional.of(new OrganizationQuota(organizationId, defaults.monthlyTokenLimit(), 0,
                    defaults.monthlyProjectLimit(), 0, defaults.storageLimitBytes(), 0, period, now, now));
        }
        return row.map(q -> q.periodStart().isBefore(period)
                ? new OrganizationQuota(q.organizationId(), q.monthlyTokenLimit(), 0, q.monthlyProjectLimit(), 0,
                        q.storageLimitBytes(), q.storageUsedBytes(), period, q.createdAt(), q.updatedAt())
                : q);
    }

    /**
     * Holds {@code amount} against the organization's limits.
     *
     * @throws QuotaExceededException naming the first limit that would be exceeded; nothing is held then
     */
    public QuotaReservation reserve(String organizationId, QuotaUsage amount) {
        Objects.requireNonNull(organizationId, "organizationId");
        if (amount.tokens() < 0 || amount.projects() < 0 || amount.storageBytes() < 0) {
            throw new IllegalArgumentException("a reservation must not be negative: " + amount);
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            Instant period = periodStart(now);
            if (store.tryAdd(organizationId, amount, period, now).isPresent()) {
                return new QuotaReservation(organizationId, amount, period);
            }
            Optional<OrganizationQuota> row = store.find(organizationId);
            if (row.isEmpty()) {
                if (defaults.isUnlimited()) {
                    return new QuotaReservation(organizationId, amount, period); // no row, no default: unlimited
                }
                // counted from its first reservation on: the row starts with the default limits
                store.createIfAbsent(organizationId, defaults.monthlyTokenLimit(), defaults.monthlyProjectLimit(),
                        defaults.storageLimitBytes(), now);
                continue;
            }
            QuotaExceededException exceeded = exceeded(row.get(), amount, period);
            if (exceeded != null) {
                throw exceeded;
            }
        }
        throw exceeded(store.find(organizationId).orElseThrow(), amount, periodStart(clock.instant()), true);
    }

    /** Gives a reservation back; monthly amounts from an earlier period are not subtracted from the current one. */
    public void release(QuotaReservation reservation) {
        Instant now = clock.instant();
        Instant period = periodStart(now);
        QuotaUsage amount = reservation.amount();
        if (reservation.periodStart().isBefore(period)) {
            amount = QuotaUsage.storage(amount.storageBytes()); // the monthly counters already restarted
        }
        if (!amount.equals(QuotaUsage.NONE)) {
            store.tryAdd(reservation.organizationId(), amount.negate(), period, now);
        }
    }

    /**
     * Settles a reservation at the amount actually used: any unused part is given back; any excess
     * is reserved on top.
     *
     * @throws QuotaExceededException if the excess does not fit; the reservation itself stays counted
     */
    public void commit(QuotaReservation reservation, QuotaUsage actual) {
        QuotaUsage held = reservation.amount();
        QuotaUsage unused = new QuotaUsage(Math.max(0, held.tokens() - actual.tokens()),
                Math.max(0, held.projects() - actual.projects()),
                Math.max(0, held.storageBytes() - actual.storageBytes()));
        QuotaUsage extra = new QuotaUsage(Math.max(0, actual.tokens() - held.tokens()),
                Math.max(0, actual.projects() - held.projects()),
                Math.max(0, actual.storageBytes() - held.storageBytes()));
        if (!unused.equals(QuotaUsage.NONE)) {
            release(new QuotaReservation(reservation.organizationId(), unused, reservation.periodStart()));
        }
        if (!extra.equals(QuotaUsage.NONE)) {
            reserve(reservation.organizationId(), extra);
        }
    }

    /** Holds {@code bytes} of storage (called when an upload session is created). */
    public QuotaReservation reserveStorage(String organizationId, long bytes) {
        return reserve(organizationId, QuotaUsage.storage(bytes));
    }

    /** Gives back {@code bytes} of storage (an upload cancelled or expired, a project's data deleted). */
    public void releaseStorage(String organizationId, long bytes) {
        Instant now = clock.instant();
        store.tryAdd(organizationId, QuotaUsage.storage(-bytes), periodStart(now), now);
    }

    /** Holds one project and its estimated tokens (called when an analysis is queued); commit with the actual tokens. */
    public QuotaReservation reserveAnalysis(String organizationId, long estimatedTokens) {
        return reserve(organizationId, new QuotaUsage(estimatedTokens, 1, 0));
    }

    /**
     * Counts tokens actually spent on embeddings that were not reserved beforehand.
     *
     * @throws QuotaExceededException if they do not fit; the caller should stop embedding
     */
    public void recordTokens(String organizationId, long tokens) {
        reserve(organizationId, QuotaUsage.tokens(tokens));
    }

    private static QuotaExceededException exceeded(OrganizationQuota q, QuotaUsage amount, Instant period) {
        return exceeded(q, amount, period, false);
    }

    private static QuotaExceededException exceeded(OrganizationQuota q, QuotaUsage amount, Instant period, boolean anyway) {
        boolean rollover = q.periodStart().isBefore(period);
        long tokensUsed = rollover ? 0 : q.monthlyTokensUsed();
        long projectsUsed = rollover ? 0 : q.monthlyProjectsUsed();
        String org = q.organizationId();
        if (amount.tokens() > 0 && (tokensUsed + amount.tokens() > q.monthlyTokenLimit() || anyway)) {
            return new QuotaExceededException(org, MONTHLY_TOKEN_LIMIT, q.monthlyTokenLimit(), tokensUsed, amount.tokens());
        }
        if (amount.projects() > 0 && (projectsUsed + amount.projects() > q.monthlyProjectLimit() || anyway)) {
            return new QuotaExceededException(org, MONTHLY_PROJECT_LIMIT, q.monthlyProjectLimit(), projectsUsed,
                    amount.projects());
        }
        if (amount.storageBytes() > 0 && (q.storageUsedBytes() + amount.storageBytes() > q.storageLimitBytes() || anyway)) {
            return new QuotaExceededException(org, STORAGE_LIMIT_BYTES, q.storageLimitBytes(), q.storageUsedBytes(),
                    amount.storageBytes());
        }
        return null;
    }
}
