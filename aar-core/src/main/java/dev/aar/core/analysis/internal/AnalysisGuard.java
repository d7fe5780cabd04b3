package dev.aar.core.analysis.internal;

import dev.aar.core.analysis.AnalysisLimits;
import dev.aar.core.analysis.FindingSink;
import dev.aar.core.analysis.ProjectView;
import dev.aar.core.analysis.SourceFile;
import dev.aar.core.error.AnalysisDeadlineException;
import dev.aar.core.event.Finding;
import dev.aar.core.event.Severity;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Bounds one analysis run: stops it when asked (cancellation, a lost lease, an interrupt), fails it
 * past its deadline, and drops a file that exceeds the per-file limits with an
 * {@link Severity#INFO} finding ({@value #SKIPPED_RULE}) instead of letting it hold the run.
 *
 * <p>It also lets a more urgent phase have the CPU: while the {@code yieldTo} signal is up (Indexing,
 * running beside the analysis, has requests it could send but no batch ready), a scan pauses at its
 * next check, for at most {@link #MAX_PAUSE_MILLIS} ms at a time and at most three times as long as it
 * worked since its last pause, so the analysis keeps at least a quarter of its pace. Time paused
 * counts toward neither a file's time budget nor the deadline. Java thread priorities would do this
 * without any signal, but the JVM ignores them on Linux unless it runs as root.
 */
public final class AnalysisGuard {

    /** The rule of the finding that reports a file left out of the analysis. */
    public static final String SKIPPED_RULE = "analysis-file-skipped";

    /** What the guard throws to unwind a scan; code that catches exceptions broadly must let it through. */
    public abstract static class Halt extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Halt(String message) {
            super(message, null, false, false); // thrown on purpose and caught at once: no stack trace
        }
    }

    /** Unwinds an analyzer when the run must stop; the runner catches it and ends the run quietly. */
    public static final class Stopped extends Halt {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("analysis stopped");
        }
    }

    /** One file took an analyzer longer than its time budget; {@link #file} catches it. */
    private static final class OverBudget extends Halt {
        private static final long serialVersionUID = 1L;

        OverBudget() {
            super("over the file time budget");
        }
    }

    /** The longest single pause for a phase that needs the CPU more. */
    static final long MAX_PAUSE_MILLIS = 20;
    private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final AnalysisGuard NONE = new AnalysisGuard();

    private final String projectId;
    private final AnalysisLimits limits;
    private final BooleanSupplier stop;
    private final LongSupplier nanoTime;
    private final long deadlineAt;
    private final boolean bounded;
    private final Set<String> skipped = ConcurrentHashMap.newKeySet();
    private final LongAdder steps = new LongAdder();
    private final BooleanSupplier yieldTo;
    private final AtomicLong pausedNanos = new AtomicLong();
    private volatile long workingSince;
    private volatile FindingSink sink = f -> { };
    private volatile String analyzerId = "";

    private AnalysisGuard() {
        this.projectId = "";
        this.limits = AnalysisLimits.defaults();
        this.stop = () -> false;
        this.nanoTime = System::nanoTime;
        this.deadlineAt = 0;
        this.bounded = false;
        this.yieldTo = () -> false;
    }

    /**
     * Starts guarding a run of project {@code projectId} now, pausing its scans while {@code yieldTo} is up.
     *
     * @param stop says when the run must stop; polled every few microseconds of scanning
     * @param yieldTo says when another phase needs the CPU more; polled as often
     * @param nanoTime the clock of the time budget, the deadline and the pauses ({@code System::nanoTime} outside tests)
     */
    public AnalysisGuard(String projectId, AnalysisLimits limits, BooleanSupplier stop, BooleanSupplier yieldTo,
            LongSupplier nanoTime) {
        this.yieldTo = Objects.requireNonNull(yieldTo, "yieldTo");
        this.projectId = Objects.requireNonNull(projectId, "projectId");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.stop = Objects.requireNonNull(stop, "stop");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.deadlineAt = nanoTime.getAsLong() + limits.deadline().toNanos();
        this.bounded = true;
        this.workingSince = nanoTime.getAsLong();
    }

    /** Returns the guard of {@code project}'s run, or one that never stops when the view is not guarded. */
    public static AnalysisGuard of(ProjectView project) {
        return project instanceof GuardedProjectView g ? g.guard() : NONE;
    }

    /** Returns the limits this guard applies. */
    public AnalysisLimits limits() {
        return limits;
    }

    /** Sets the analyzer now running and where its findings go; budget findings name it. */
    public void analyzer(String id, FindingSink findings) {
        this.analyzerId = Objects.requireNonNull(id, "id");
        this.sink = Objects.requireNonNull(findings, "findings");
    }

    /**
     * Throws when the run must end.
     *
     * @throws Stopped when stopping was asked for or the thread was interrupted
     * @throws AnalysisDeadlineException when the run is past its deadline
     */
    public void checkStop() {
        if (stop.getAsBoolean() || Thread.currentThread().isInterrupted()) {
            throw new Stopped();
        }
        if (bounded && yieldTo.getAsBoolean()) {
            pause();
        }
        if (bounded && nanoTime.getAsLong() - pausedNanos.get() - deadlineAt > 0) {
            throw new AnalysisDeadlineException(projectId, limits.deadline());
        }
    }

    /** Pauses while the other phase needs the CPU, within the limits the class describes. */
    private void pause() {
        long start = nanoTime.getAsLong();
        long longest = Math.min(TimeUnit.MILLISECONDS.toNanos(MAX_PAUSE_MILLIS), 3 * (start - workingSince));
        long now = start;
        while (now - start < longest && yieldTo.getAsBoolean() && !stop.getAsBoolean()) {
            LockSupport.parkNanos(PARK_NANOS);
            now = nanoTime.getAsLong();
        }
        pausedNanos.addAndGet(now - start);
        workingSince = now;
    }

    /** Returns how long the run's scans paused for another phase so far. */
    public long pausedNanos() {
        return pausedNanos.get();
    }

    /** Returns a step counter bound to the run (stop and deadline) but to no file's budget. */
    public Work work() {
        return new Work(this::checkStop);
    }

    /**
     * Runs {@code task} over {@code file} with a step counter that also enforces the file's time
     * budget; a file over budget is reported and left out of the rest of the run.
     *
     * @return whether the task ran to its end
     */
    public boolean file(SourceFile file, Consumer<Work> task) {
        if (skipped.contains(file.path())) {
            return false;
        }
        checkStop();
        if (!bounded) {
            task.accept(Work.unchecked());
            return true;
        }
        long start = nanoTime.getAsLong();
        long pausedAtStart = pausedNanos.get();
        long budget = limits.fileTimeBudget().toNanos();
        Work work = new Work(() -> {
            checkStop();
            if (nanoTime.getAsLong() - start - (pausedNanos.get() - pausedAtStart) > budget) {
                throw new OverBudget();
            }
        });
        try {
            task.accept(work);
            return true;
        } catch (OverBudget e) {
            skip(file.path(), "analyzer '" + analyzerId + "' spent more than " + limits.fileTimeBudget().toMillis()
                    + " ms on it (Analysis.FileTimeBudgetMillis)", sink);
            return false;
        } finally {
            steps.add(work.steps());
        }
    }

    /** Adds the steps of {@code work} (from {@link #work()}) to this run's count. */
    public void counted(Work work) {
        if (bounded) {
            steps.add(work.steps());
        }
    }

    /** Returns the steps the run's scans took so far: a clock-free measure of its work. */
    public long steps() {
        return steps.sum();
    }

    /** Returns whether {@code path} was left out of the run. */
    public boolean isSkipped(String path) {
        return skipped.contains(path);
    }

    /** Leaves {@code path} out of the rest of the run; reports it to {@code findings} (null: silently). */
    void skip(String path, String reason, FindingSink findings) {
        if (skipped.add(path) && findings != null) {
            findings.emit(new Finding(Severity.INFO, SKIPPED_RULE, "File not analysed: " + reason + ".", path,
                    null, null));
        }
    }
}
