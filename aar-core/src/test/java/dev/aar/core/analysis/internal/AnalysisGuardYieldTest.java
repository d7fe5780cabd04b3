package dev.aar.core.analysis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.analysis.AnalysisLimits;
import dev.aar.core.analysis.Language;
import dev.aar.core.analysis.SourceFile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Scans give way to a phase that needs the CPU more, within bounds, and are not charged for it. */
class AnalysisGuardYieldTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    /** A clock that moves only when told to, and by 1 ms each time a pause reads it. */
    private final AtomicLong now = new AtomicLong(1_000 * MS);
    private final AtomicBoolean yield = new AtomicBoolean();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<String> skipped = new ArrayList<>();

    private AnalysisGuard guard(AnalysisLimits limits) {
        AnalysisGuard g = new AnalysisGuard("p1", limits, stop::get, yield::get, now::get);
        g.analyzer("test", f -> skipped.add(f.file()));
        return g;
    }

    @Test
    void noSignalNoPause() {
        AnalysisGuard g = guard(AnalysisLimits.defaults());
        now.addAndGet(5 * MS);
        g.checkStop();
        assertThat(g.pausedNanos()).isZero();
    }

    @Test
    void aPauseLastsAtMostThreeTimesTheWorkBeforeItAndAtMostTheLongestPause() {
        yield.set(true);
        // the clock moves 1 ms per read while paused; the signal never drops
        Clocked clocked = new Clocked();
        AnalysisGuard ticking = new AnalysisGuard("p1", AnalysisLimits.defaults(), stop::get, yield::get, clocked);
        clocked.advance(2 * MS); // worked about 2 ms since the guard started
        ticking.checkStop();
        long first = ticking.pausedNanos();
        assertThat(first).isBetween(3 * 2 * MS, 3 * 4 * MS); // three times the work (the clock's own ticks add a little)
        clocked.advance(100 * MS); // worked 100 ms: the pause is capped
        ticking.checkStop();
        assertThat(ticking.pausedNanos() - first).isBetween(AnalysisGuard.MAX_PAUSE_MILLIS * MS,
                (AnalysisGuard.MAX_PAUSE_MILLIS + 1) * MS);
    }

    @Test
    void thePauseEndsWhenTheSignalDropsOrTheRunStops() {
        Clocked clocked = new Clocked();
        AnalysisGuard g = new AnalysisGuard("p1", AnalysisLimits.defaults(), stop::get, () -> {
            // the other phase caught up after 3 reads
            return clocked.reads < 3;
        }, clocked);
        clocked.advance(100 * MS);
        g.checkStop();
        assertThat(g.pausedNanos()).isLessThanOrEqualTo(3 * MS);
    }

    @Test
    void pausesAreNotChargedToTheFilesTimeBudget() {
        Clocked clocked = new Clocked();
        AnalysisGuard g = new AnalysisGuard("p1", AnalysisLimits.defaults().withFileTimeBudget(Duration.ofMillis(150)),
                stop::get, yield::get, clocked);
        g.analyzer("test", f -> skipped.add(f.file()));
        yield.set(true);
        boolean ran = g.file(file("A.java"), work -> {
            for (int i = 0; i < 20; i++) {
                // 2 ms of work per step (and a few of the clock's own ticks), then a pause
                clocked.advance(2 * MS);
                work.add(Work.CHECK_INTERVAL);
            }
        });
        assertThat(g.pausedNanos()).isGreaterThan(150 * MS);
        assertThat(ran).isTrue();
        assertThat(skipped).isEmpty();
    }

    @Test
    void aFileOverItsBudgetIsStillSkippedWhenItWorkedThatLong() {
        Clocked clocked = new Clocked();
        AnalysisGuard g = new AnalysisGuard("p1", AnalysisLimits.defaults().withFileTimeBudget(Duration.ofMillis(150)),
                stop::get, yield::get, clocked);
        g.analyzer("test", f -> skipped.add(f.file()));
        yield.set(true);
        boolean ran = g.file(file("B.java"), work -> {
            for (int i = 0; i < 80; i++) {
                clocked.advance(2 * MS); // 160 ms of work
                work.add(Work.CHECK_INTERVAL);
            }
        });
        assertThat(ran).isFalse();
        assertThat(skipped).containsExactly("B.java");
    }

    /** A clock that advances 1 ms on every read, so a pause's loop ends without real waiting counting. */
    private static final class Clocked implements java.util.function.LongSupplier {
        private long nanos = 1_000 * MS;
        private int reads;

        void advance(long by) {
            nanos += by;
            reads = 0;
        }

        @Override
        public long getAsLong() {
            reads++;
            return nanos += MS;
        }
    }

    private static SourceFile file(String path) {
        return new SourceFile() {
            @Override
            public String path() {
                return path;
            }

            @Override
            public Language language() {
                return Language.JAVA;
            }

            @Override
            public long sizeBytes() {
                return 1;
            }

            @Override
            public String text() {
                return "x";
            }
        };
    }
}
