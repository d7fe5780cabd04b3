package dev.aar.core.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link QuotaStore} must have; each backend's test extends this class and
 * supplies a fresh, empty store.
 */
public abstract class QuotaStoreContract {

    protected static final Instant OCT = Instant.parse("2026-10-01T00:00:00Z");
    protected static final Instant NOV = Instant.parse("2026-11-01T00:00:00Z");
    protected static final Instant MID_OCT = Instant.parse("2026-10-15T12:00:00Z");
    protected static final Instant MID_NOV = Instant.parse("2026-11-15T12:00:00Z");

    private QuotaStore store;
    private String org;

    /** Returns a store with no organizations in it (or one unaffected by rows of other tests). */
    protected abstract QuotaStore newStore();

    @BeforeEach
    void setUpStore() {
        store = newStore();
        // unique per test, so backends that share a database across tests stay independent
        org = "org-" + java.util.UUID.randomUUID();
    }

    protected QuotaStore store() {
        return store;
    }

    @Test
    void anOrganizationWithoutARowIsNotFoundAndTryAddChangesNothing() {
        assertThat(store.find(org)).isEmpty();
        assertThat(store.tryAdd(org, QuotaUsage.tokens(5), OCT, MID_OCT)).isEmpty();
        assertThat(store.find(org)).isEmpty();
    }

    @Test
    void setLimitsCreatesARowAndLaterKeepsUsage() {
        OrganizationQuota created = store.setLimits(org, 1000, 10, 5000, MID_OCT);
        assertThat(created.monthlyTokenLimit()).isEqualTo(1000);
        assertThat(created.monthlyProjectLimit()).isEqualTo(10);
        assertThat(created.storageLimitBytes()).isEqualTo(5000);
        assertThat(created.monthlyTokensUsed()).isZero();

        store.tryAdd(org, new QuotaUsage(100, 2, 300), OCT, MID_OCT);
        OrganizationQuota changed = store.setLimits(org, 2000, 20, 6000, MID_OCT.plusSeconds(60));
        assertThat(changed.monthlyTokenLimit()).isEqualTo(2000);
        assertThat(changed.monthlyTokensUsed()).isEqualTo(100);
        assertThat(changed.monthlyProjectsUsed()).isEqualTo(2);
        assertThat(changed.storageUsedBytes()).isEqualTo(300);
        assertThat(store.find(org)).contains(changed);
    }

    @Test
    void createIfAbsentCreatesARowWithoutUsageOnceAndKeepsAnExistingOne() {
        OrganizationQuota created = store.createIfAbsent(org, 1000, 10, 5000, MID_OCT);
        assertThat(created.monthlyTokenLimit()).isEqualTo(1000);
        assertThat(created.monthlyProjectLimit()).isEqualTo(10);
        assertThat(created.storageLimitBytes()).isEqualTo(5000);
        assertThat(created.monthlyTokensUsed()).isZero();
        assertThat(store.find(org)).contains(created);

        store.tryAdd(org, QuotaUsage.tokens(100), OCT, MID_OCT);
        OrganizationQuota again = store.createIfAbsent(org, 1, 1, 1, MID_OCT.plusSeconds(60));
        assertThat(again.monthlyTokenLimit()).as("an existing row keeps its limits").isEqualTo(1000);
        assertThat(again.monthlyTokensUsed()).isEqualTo(100);

        String other = org + "-set";
        store.setLimits(other, 7, 7, 7, MID_OCT);
        assertThat(store.createIfAbsent(other, 1, 1, 1, MID_OCT).monthlyTokenLimit())
                .as("an operator's limits win over the default").isEqualTo(7);
    }

    @Test
    void unlimitedLimitsAcceptLargeAmounts() {
        store.setLimits(org, QuotaLimits.UNLIMITED_TOKENS, QuotaLimits.UNLIMITED_PROJECTS, QuotaLimits.UNLIMITED_STORAGE,
                MID_OCT);
        assertThat(store.tryAdd(org, new QuotaUsage(1L << 40, 1000, 1L << 45), OCT, MID_OCT)).isPresent();
    }

    @Test
    void concurrentCreateIfAbsentMakesOneRow() throws Exception {
        int callers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<OrganizationQuota>> futures = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                long limit = 100 + i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return store.createIfAbsent(org, limit, 1, 1, MID_OCT);
                }));
            }
            start.countDown();
            List<Long> seen = new ArrayList<>();
            for (Future<OrganizationQuota> f : futures) {
                seen.add(f.get(30, TimeUnit.SECONDS).monthlyTokenLimit());
            }
            assertThat(seen).as("every caller sees the one row that was created").containsOnly(seen.get(0));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void tryAddWithinLimitsApplies() {
        store.setLimits(org, 1000, 10, 5000, MID_OCT);
        OrganizationQuota after = store.tryAdd(org, new QuotaUsage(1000, 10, 5000), OCT, MID_OCT).orElseThrow();
        assertThat(after.monthlyTokensUsed()).isEqualTo(1000);
        assertThat(after.monthlyProjectsUsed()).isEqualTo(10);
        assertThat(after.storageUsedBytes()).isEqualTo(5000);
    }

    @Test
    void tryAddOverAnyLimitChangesNothing() {
        store.setLimits(org, 1000, 10, 5000, MID_OCT);
        store.tryAdd(org, new QuotaUsage(900, 9, 4000), OCT, MID_OCT);
        assertThat(store.tryAdd(org, new QuotaUsage(101, 0, 0), OCT, MID_OCT)).isEmpty();
        assertThat(store.tryAdd(org, new QuotaUsage(1, 2, 1), OCT, MID_OCT)).isEmpty();
        assertThat(store.tryAdd(org, new QuotaUsage(1, 1, 1001), OCT, MID_OCT)).isEmpty();
        OrganizationQuota q = store.find(org).orElseThrow();
        assertThat(q.monthlyTokensUsed()).isEqualTo(900);
        assertThat(q.monthlyProjectsUsed()).isEqualTo(9);
        assertThat(q.storageUsedBytes()).isEqualTo(4000);
    }

    @Test
    void negativeAmountsAlwaysApplyAndNeverGoBelowZero() {
        store.setLimits(org, 10, 1, 10, MID_OCT);
        store.tryAdd(org, new QuotaUsage(5, 1, 5), OCT, MID_OCT);
        store.setLimits(org, 1, 0, 1, MID_OCT); // limits lowered below usage
        OrganizationQuota q = store.tryAdd(org, new QuotaUsage(-2, 0, -100), OCT, MID_OCT).orElseThrow();
        assertThat(q.monthlyTokensUsed()).isEqualTo(3);
        assertThat(q.storageUsedBytes()).isZero();
    }

    @Test
    void aNewPeriodRestartsMonthlyCountersButNotStorage() {
        store.setLimits(org, 100, 2, 1000, MID_OCT);
        store.tryAdd(org, new QuotaUsage(100, 2, 700), OCT, MID_OCT);
        assertThat(store.tryAdd(org, QuotaUsage.tokens(1), OCT, MID_OCT)).isEmpty();

        OrganizationQuota q = store.tryAdd(org, new QuotaUsage(40, 1, 0), NOV, MID_NOV).orElseThrow();
        assertThat(q.monthlyTokensUsed()).isEqualTo(40);
        assertThat(q.monthlyProjectsUsed()).isEqualTo(1);
        assertThat(q.storageUsedBytes()).isEqualTo(700);
        assertThat(q.periodStart()).isEqualTo(NOV);
    }

    @Test
    void fiftyConcurrentReservationsAgainstALimitForTenLetExactlyTenThrough() throws Exception {
        store.setLimits(org, 10 * 100, 1000, 1L << 40, MID_OCT);
        int callers = 50;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger succeeded = new AtomicInteger();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    if (store.tryAdd(org, QuotaUsage.tokens(100), OCT, MID_OCT).isPresent()) {
                        succeeded.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(succeeded).hasValue(10);
        assertThat(store.find(org).orElseThrow().monthlyTokensUsed()).isEqualTo(1000);
    }
}
