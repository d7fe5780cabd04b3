package dev.aar.core.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.core.error.QuotaExceededException;
import dev.aar.core.memory.InMemoryQuotaStore;
import dev.aar.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class QuotaServiceTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-10-31T23:59:00Z"));
    private final QuotaService quotas = new QuotaService(new InMemoryQuotaStore(), clock);

    @Test
    void periodStartIsTheFirstOfTheUtcMonth() {
        assertThat(QuotaService.periodStart(Instant.parse("2026-10-31T23:59:59Z"))).isEqualTo(Instant.parse("2026-10-01T00:00:00Z"));
        assertThat(QuotaService.periodStart(Instant.parse("2026-11-01T00:00:00Z"))).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(QuotaService.periodStart(Instant.parse("2028-02-29T12:00:00Z"))).isEqualTo(Instant.parse("2028-02-01T00:00:00Z"));
    }

    @Test
    void anOrganizationWithoutLimitsIsUnlimited() {
        QuotaReservation r = quotas.reserve("free", new QuotaUsage(1_000_000, 5, 1L << 40));
        assertThat(r.amount().tokens()).isEqualTo(1_000_000);
        quotas.release(r);
        assertThat(quotas.usage("free")).isEmpty();
    }

    @Test
    void anOrganizationWithoutARowGetsTheDefaultLimitsAtItsFirstReservation() {
        InMemoryQuotaStore store = new InMemoryQuotaStore();
        QuotaService limited = new QuotaService(store, clock, QuotaLimits.ofConfigured(1000, 0, 5000));
        assertThat(limited.usage("new").orElseThrow().monthlyTokenLimit()).as("shown before any row exists").isEqualTo(1000);
        assertThat(store.find("new")).isEmpty();

        limited.reserve("new", new QuotaUsage(600, 1, 4000));
        OrganizationQuota row = store.find("new").orElseThrow();
        assertThat(row.monthlyTokenLimit()).isEqualTo(1000);
        assertThat(row.monthlyProjectLimit()).as("0 = unlimited").isEqualTo(QuotaLimits.UNLIMITED_PROJECTS);
        assertThat(row.storageLimitBytes()).isEqualTo(5000);
        assertThat(row.monthlyTokensUsed()).isEqualTo(600);
        assertThatThrownBy(() -> limited.reserveStorage("new", 1001))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> assertThat(e.limit()).isEqualTo("StorageLimitBytes"));
        assertThatThrownBy(() -> limited.reserve("new", QuotaUsage.tokens(401)))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> assertThat(e.limit()).isEqualTo("MonthlyTokenLimit"));
    }

    @Test
    void anOperatorsRowWinsOverTheDefault() {
        InMemoryQuotaStore store = new InMemoryQuotaStore();
        QuotaService limited = new QuotaService(store, clock, QuotaLimits.ofConfigured(10, 1, 10));
        limited.setLimits("big", 1_000_000, 100, 1_000_000);
        limited.reserve("big", new QuotaUsage(5000, 5, 5000));
        assertThat(store.find("big").orElseThrow().monthlyTokenLimit()).isEqualTo(1_000_000);
    }

    @Test
    void aReservationOverALimitNamesTheLimitUsedAndRequested() {
        quotas.setLimits("acme", 1000, 3, 10_000);
        quotas.reserve("acme", QuotaUsage.tokens(800));
        assertThatThrownBy(() -> quotas.reserve("acme", QuotaUsage.tokens(300)))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
                    assertThat(e.limit()).isEqualTo("MonthlyTokenLimit");
                    assertThat(e.limitValue()).isEqualTo(1000);
                    assertThat(e.used()).isEqualTo(800);
                    assertThat(e.requested()).isEqualTo(300);
                    assertThat(e.code()).isEqualTo("quota.exceeded");
                    assertThat(e.getMessage()).contains("acme", "MonthlyTokenLimit", "1000", "800", "300");
                });
        assertThatThrownBy(() -> quotas.reserveStorage("acme", 10_001))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> assertThat(e.limit()).isEqualTo("StorageLimitBytes"));
        assertThat(quotas.usage("acme").orElseThrow().monthlyTokensUsed()).isEqualTo(800);
    }

    @Test
    void releaseGivesTheAmountBack() {
        quotas.setLimits("acme", 1000, 3, 10_000);
        QuotaReservation r = quotas.reserveStorage("acme", 10_000);
        assertThatThrownBy(() -> quotas.reserveStorage("acme", 1)).isInstanceOf(QuotaExceededException.class);
        quotas.release(r);
        quotas.reserveStorage("acme", 10_000);
    }

    @Test
    void commitSettlesAtTheActualAmount() {
        quotas.setLimits("acme", 1000, 3, 10_000);
        QuotaReservation analysis = quotas.reserveAnalysis("acme", 600);
        quotas.commit(analysis, new QuotaUsage(450, 1, 0));
        assertThat(quotas.usage("acme").orElseThrow().monthlyTokensUsed()).isEqualTo(450);
        assertThat(quotas.usage("acme").orElseThrow().monthlyProjectsUsed()).isEqualTo(1);

        QuotaReservation more = quotas.reserveAnalysis("acme", 100);
        quotas.commit(more, new QuotaUsage(300, 1, 0)); // 200 tokens over the estimate, still within 1000
        assertThat(quotas.usage("acme").orElseThrow().monthlyTokensUsed()).isEqualTo(750);
        QuotaReservation last = quotas.reserveAnalysis("acme", 0);
        assertThatThrownBy(() -> quotas.commit(last, new QuotaUsage(251, 1, 0)))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> assertThat(e.requested()).isEqualTo(251));
    }

    @Test
    void recordTokensCountsEmbeddingsAndRefusesOverTheLimit() {
        quotas.setLimits("acme", 100, 3, 10_000);
        quotas.recordTokens("acme", 60);
        quotas.recordTokens("acme", 40);
        assertThatThrownBy(() -> quotas.recordTokens("acme", 1)).isInstanceOf(QuotaExceededException.class);
    }

    @Test
    void monthlyCountersRollOverAtTheUtcMonthButStorageDoesNot() {
        quotas.setLimits("acme", 100, 1, 1000);
        QuotaReservation october = quotas.reserve("acme", new QuotaUsage(100, 1, 0));
        quotas.reserveStorage("acme", 900);
        assertThatThrownBy(() -> quotas.reserveAnalysis("acme", 0))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> assertThat(e.limit()).isEqualTo("MonthlyProjectLimit"));

        clock.advance(Duration.ofMinutes(2)); // 2026-11-01T00:01Z
        assertThat(quotas.usage("acme").orElseThrow().monthlyTokensUsed()).isZero();
        quotas.reserve("acme", new QuotaUsage(100, 1, 0));
        assertThatThrownBy(() -> quotas.reserveStorage("acme", 101)).isInstanceOf(QuotaExceededException.class);

        quotas.release(october); // October's tokens are not taken off November's count
        assertThat(quotas.usage("acme").orElseThrow().monthlyTokensUsed()).isEqualTo(100);
    }

    @Test
    void concurrentReservationsNeverOverspend() throws Exception {
        quotas.setLimits("acme", 1_000_000, 1000, 10 * 4096);
        ExecutorService pool = Executors.newFixedThreadPool(50);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                fs.add(pool.submit(() -> {
                    start.await();
                    try {
                        quotas.reserveStorage("acme", 4096);
                        ok.incrementAndGet();
                    } catch (QuotaExceededException e) {
                        refused.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : fs) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(ok).hasValue(10);
        assertThat(refused).hasValue(40);
    }
}
