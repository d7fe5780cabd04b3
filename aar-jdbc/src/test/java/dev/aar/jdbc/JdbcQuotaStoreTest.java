package dev.aar.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.quota.OrganizationQuota;
import dev.aar.core.quota.QuotaStore;
import dev.aar.core.quota.QuotaUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class JdbcQuotaStoreTest {

    abstract static class Cases extends DatabaseTest {

        QuotaStore store() {
            return backend.quotaStore();
        }

        @Test
        void anOrganizationWithoutRowHasNoneAndCannotReserve() {
            assertThat(store().find("acme")).isEmpty();
            assertThat(store().tryAdd("acme", QuotaUsage.tokens(1), T0, T0)).isEmpty();
        }

        @Test
        void setLimitsCreatesTheRowThenChangesLimitsKeepingUsage() {
            OrganizationQuota created = store().setLimits("acme", 1000, 5, 10_000, T0);
            assertThat(created.monthlyTokensUsed()).isZero();
            assertThat(created.periodStart()).isEqualTo(T0);

            store().tryAdd("acme", new QuotaUsage(100, 1, 500), T0, T0);
            Instant later = T0.plusSeconds(60);
            OrganizationQuota changed = store().setLimits("acme", 2000, 6, 20_000, later);

            assertThat(changed.monthlyTokenLimit()).isEqualTo(2000);
            assertThat(changed.monthlyTokensUsed()).isEqualTo(100);
            assertThat(changed.monthlyProjectsUsed()).isEqualTo(1);
            assertThat(changed.storageUsedBytes()).isEqualTo(500);
            assertThat(changed.createdAt()).isEqualTo(T0);
            assertThat(changed.updatedAt()).isEqualTo(later);
            assertThat(store().find("acme")).contains(changed);
        }

        @Test
        void tryAddRefusesWhateverWouldExceedALimitAndChangesNothing() {
            store().setLimits("acme", 1000, 2, 10_000, T0);

            assertThat(store().tryAdd("acme", QuotaUsage.tokens(1000), T0, T0)).isPresent();
            assertThat(store().tryAdd("acme", QuotaUsage.tokens(1), T0, T0)).isEmpty();
            assertThat(store().tryAdd("acme", new QuotaUsage(0, 3, 0), T0, T0)).isEmpty();
            assertThat(store().tryAdd("acme", QuotaUsage.storage(10_001), T0, T0)).isEmpty();

            OrganizationQuota q = store().find("acme").orElseThrow();
            assertThat(q.monthlyTokensUsed()).isEqualTo(1000);
            assertThat(q.monthlyProjectsUsed()).isZero();
            assertThat(q.storageUsedBytes()).isZero();
        }

        @Test
        void negativeAmountsAlwaysApplyAndNeverGoBelowZero() {
            store().setLimits("acme", 10, 1, 100, T0);
            store().tryAdd("acme", QuotaUsage.storage(80), T0, T0);

            Optional<OrganizationQuota> after = store().tryAdd("acme", QuotaUsage.storage(-200), T0, T0);

            assertThat(after).map(OrganizationQuota::storageUsedBytes).contains(0L);
        }

        @Test
        void aNewPeriodRestartsTheMonthlyCountersButNotStorage() {
            store().setLimits("acme", 100, 1, 1000, T0);
            store().tryAdd("acme", new QuotaUsage(100, 1, 300), T0, T0);
            assertThat(store().tryAdd("acme", QuotaUsage.tokens(1), T0, T0)).isEmpty();

            Instant nextMonth = Instant.parse("2026-04-01T00:00:00Z");
            OrganizationQuota q = store().tryAdd("acme", QuotaUsage.tokens(40), nextMonth, nextMonth).orElseThrow();

            assertThat(q.monthlyTokensUsed()).isEqualTo(40);
            assertThat(q.monthlyProjectsUsed()).isZero();
            assertThat(q.storageUsedBytes()).isEqualTo(300);
            assertThat(q.periodStart()).isEqualTo(nextMonth);
        }

        @Test
        void fiftyConcurrentReservationsWhereTenFitGrantExactlyTen() throws Exception {
            store().setLimits("acme", 1000, 100, 1000, T0);
            int threads = 50;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    Callable<Boolean> reserve = () -> {
                        start.await();
                        return store().tryAdd("acme", QuotaUsage.tokens(100), T0, T0).isPresent();
                    };
                    results.add(pool.submit(reserve));
                }
                start.countDown();
                int granted = 0;
                for (Future<Boolean> f : results) {
                    granted += f.get() ? 1 : 0;
                }
                assertThat(granted).isEqualTo(10);
                assertThat(store().find("acme").orElseThrow().monthlyTokensUsed()).isEqualTo(1000);
            } finally {
                pool.shutdownNow();
                pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    @Nested
    class OnSqlite extends Cases {
        @Override
        TestDatabase createDatabase() {
            return TestDatabase.sqlite();
        }
    }

    @Nested
    class OnPostgres extends Cases {
        @Override
        TestDatabase createDatabase() {
            return TestDatabase.postgres();
        }
    }
}
