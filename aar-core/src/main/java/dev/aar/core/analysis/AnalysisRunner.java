package dev.aar.core.analysis;

import dev.aar.core.event.Finding;
import dev.aar.core.event.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs analyzers one after another over a project.
 *
 * <p>Analyzers named in {@code finished} are skipped, so a resumed job does not redo them. An
 * analyzer that throws does not end the run: its failure becomes an {@link Severity#INFO} finding
 * with rule {@value #FAILURE_RULE}, the findings it emitted before failing are kept, and the next
 * analyzer starts. Errors that leave the JVM unusable ({@link VirtualMachineError} other than stack
 * overflow) are rethrown. The run stops between analyzers when the thread is interrupted.
 */
public final class AnalysisRunner {

    /** The rule of the finding that reports a failed analyzer. */
    public static final String FAILURE_RULE = "analyzer-failed";

    private static final Logger log = LoggerFactory.getLogger(AnalysisRunner.class);

    private final Analyzers analyzers;

    public AnalysisRunner(Analyzers analyzers) {
        this.analyzers = Objects.requireNonNull(analyzers, "analyzers");
    }

    /**
     * Runs every analyzer not in {@code finished} over {@code project}.
     *
     * @param project what to analyze
     * @param finished ids of analyzers a previous attempt already finished
     * @param sink receives every finding, as it is emitted
     * @param listener told after each analyzer finishes
     * @return one entry per analyzer that ran now, in run order
     */
    public List<AnalyzerRun> run(ProjectView project, Set<String> finished, FindingSink sink, AnalysisListener listener) {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(finished, "finished");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(listener, "listener");
        List<Analyzer> all = analyzers.list();
        List<AnalyzerRun> runs = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Analyzer analyzer = all.get(i);
            if (finished.contains(analyzer.id())) {
                continue;
            }
            if (Thread.currentThread().isInterrupted()) {
                log.info("analysis of project {} interrupted before analyzer {}", project.projectId(), analyzer.id());
                break;
            }
            AnalyzerRun run = runOne(analyzer, i, all.size(), project, sink);
            runs.add(run);
            listener.analyzerFinished(run);
        }
        return List.copyOf(runs);
    }

    private AnalyzerRun runOne(Analyzer analyzer, int index, int total, ProjectView project, FindingSink sink) {
        int[] count = {0};
        FindingSink counting = f -> {
            count[0]++;
            sink.emit(f);
        };
        long start = System.nanoTime();
        String failure = null;
        try {
            analyzer.analyze(project, counting);
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
