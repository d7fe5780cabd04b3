package dev.aar.core.analysis;

/**
 * Told by the {@link AnalysisRunner} when each analyzer finishes, so a job can checkpoint per
 * analyzer and report progress.
 */
@FunctionalInterface
public interface AnalysisListener {

    /** A listener that does nothing. */
    AnalysisListener NONE = run -> { };

    /**
     * Called after an analyzer completed or failed, before the next one starts; an analyzer that
     * failed is finished too (it is not retried on resume, its failure is already a finding).
     */
    void analyzerFinished(AnalyzerRun run);
}
