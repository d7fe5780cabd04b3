package dev.aar.core.analysis;

import dev.aar.core.analysis.internal.AnalysisGuard;
import dev.aar.core.analysis.internal.GuardedProjectView;
import dev.aar.core.error.AnalysisDeadlineException;
import dev.aar.core.event.Finding;
import dev.aar.core.event.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs analyzers one after another over a project.
 *
 * <p>Analyzers named in {@code finished} are skipped, so a resumed job does not redo them. An
 * analyzer that throws does not end the run: its failure becomes an {@link Severity#INFO} finding
 * with rule {@value #FAILURE_RULE}, the findings it emitted before failing are kept, and the next
 * analyzer starts. Errors that leave the JVM unusable ({@link VirtualMachineError} other than stack
 * overflow) are rethrown.
 *
 * <p>The run keeps to the {@link Analyzers#limits() limits} of its analyzers: files over the size
 * or line limit are left out of every analyzer, a file that takes one analyzer longer than its time
 * budget is left out of the rest of the run, each reported once as an {@link Severity#INFO} finding
 * with rule {@value #SKIPPED_RULE} ("File not analysed: ..."). It stops, keeping what finished, when
 * the stop signal says so or the thread is interrupted: the built-in analyzers check inside their
 * scans, every analyzer between two files. Past the deadline it throws {@link AnalysisDeadlineException}.
 */
public final class AnalysisRunner {

    /** The rule of the finding that reports a failed analyzer. */
    public static final String FAILURE_RULE = "analyzer-failed";
    /** The rule of the finding that reports a file left out of the analysis. */
    public static final String SKIPPED_RULE = AnalysisGuard.SKIPPED_RULE;

    private static final Logger log = LoggerFactory.getLogger(AnalysisRunner.class);

    private final Analyzers analyzers;
    private final BooleanSupplier stop;
    private final BooleanSupplier yieldTo;
    private final LongSupplier nanoTime;

    /** A runner that stops only when its thread is interrupted. */
    public AnalysisRunner(Analyzers analyzers) {
        this(analyzers, () -> false);
    }

    /** A runner that also stops when {@code stop} says so (a job's cancellation or lost lease); polled often. */
    public AnalysisRunner(Analyzers analyzers, BooleanSupplier stop) {
        this(analyzers, stop, () -> false, System::nanoTime);
    }

    /**
     * A runner that stops when {@code stop} says so and whose scans pause briefly while {@code yieldTo}
     * says another phase needs the CPU more (Indexing beside it, short of batches); the pauses count
     * toward no time limit.
     */
    public AnalysisRunner(Analyzers analyzers, BooleanSupplier stop, BooleanSupplier yieldTo) {
        this(analyzers, stop, yieldTo, System::nanoTime);
    }

    AnalysisRunner(Analyzers analyzers, BooleanSupplier stop, BooleanSupplier yieldTo, LongSupplier nanoTime) {
        this.analyzers = Objects.requireNonNull(analyzers, "analyzers");
        this.stop = Objects.requireNonNull(stop, "stop");
        this.yieldTo = Objects.requireNonNull(yieldTo, "yieldTo");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /**
     * Returns {@code project} bounded by this runner's limits and stop signal, with the deadline
     * starting now; pass it to {@link #run} and use it afterwards (for {@link Inventory#of}, say) so
     * the same files are left out and the same stop applies.
     */
    public ProjectView bound(ProjectView project) {
        Objects.requireNonNull(project, "project");
        if (project instanceof GuardedProjectView) {
            return project;
        }
        return new GuardedProjectView(project, new AnalysisGuard(project.projectId(), analyzers.limits(), stop, yieldTo,
                nanoTime));
    }

    /**
     * Runs every analyzer not in {@code finished} over {@code project}.
     *
     * @param project what to analyze; bounded with {@link #bound} unless it is already
     * @param finished ids of analyzers a previous attempt already finished (files left out for their
     *     size are reported only when this is empty, since the earlier attempt reported them)
     * @param sink receives every finding, as it is emitted
     * @param listener told after each analyzer finishes
     * @return one entry per analyzer that ran now, in run order; fewer when the run was stopped
     * @throws AnalysisDeadlineException when the run goes on past its deadline
     */
    public List<AnalyzerRun> run(ProjectView project, Set<String> finished, FindingSink sink, AnalysisListener listener) {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(finished, "finished");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(listener, "listener");
        GuardedProjectView bounded = (GuardedProjectView) bound(project);
        List<Analyzer> all = analyzers.list();
        List<AnalyzerRun> runs = new ArrayList<>();
        try {
            bounded.screen(finished.isEmpty() ? sink : null);
            for (int i = 0; i < all.size(); i++) {
                Analyzer analyzer = all.get(i);
                if (finished.contains(analyzer.id())) {
                    continue;
                }
                bounded.guard().checkStop();
                AnalyzerRun run = runOne(analyzer, i, all.size(), bounded, sink);
                runs.add(run);
                listener.analyzerFinished(run);
            }
        } catch (AnalysisGuard.Stopped e) {
            log.info("analysis of project {} stopped after {} analyzers", project.projectId(), runs.size());
        }
        return List.copyOf(runs);
    }

    private AnalyzerRun runOne(Analyzer analyzer, int index, int total, GuardedProjectView project, FindingSink sink) {
        int[] count = {0};
        FindingSink counting = f -> {
            count[0]++;
            sink.emit(f);
        };
        project.guard().analyzer(analyzer.id(), counting);
        long start = System.nanoTime();
        String failure = null;
        try {
            analyzer.analyze(project, counting);
        } catch (AnalysisGuard.Stopped | AnalysisDeadlineException e) {
            throw e; // the run ends: not this analyzer's failure
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            log.warn("analyzer {} failed on project {}; continuing with the next analyzer",
                    analyzer.id(), project.projectId(), e);
            sink.emit(new Finding(Severity.INFO, FAILURE_RULE, "Analyzer '" + analyzer.id()
                    + "' stopped with an error, so its results are incomplete: " + failure, null, null, null));
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new AnalyzerRun(analyzer.id(), index, total, count[0], failure, millis);
    }
}
