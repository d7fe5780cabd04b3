package dev.aar.core.analysis;

/**
 * Examines a project and reports what it finds.
 *
 * <p>An analyzer must not modify the project, should emit each finding as soon as it is known
 * (findings are streamed to clients as {@code FindingUpdate}s), and may throw: the
 * {@link AnalysisRunner} records the failure as a finding and continues with the next analyzer.
 * Implementations hold no state between calls, so one instance may analyze many projects.
 */
public interface Analyzer {

    /** Returns a stable id, such as {@code "dependency-cycles"}; used in config and checkpoints. */
    String id();

    /** Returns a one-line human description of what the analyzer looks for. */
    String description();

    /** Examines {@code project} and passes every finding to {@code sink}. */
    void analyze(ProjectView project, FindingSink sink);

    /**
     * Returns whether {@link #analyze} may use the project's embeddings ({@link ProjectView#search},
     * {@link ProjectView#isSearchable}). An analysis job runs its analyzers while Indexing is still going
     * on only when none of them does; otherwise Analyzing waits for Indexing, so every search sees the
     * whole index. The default is true, the safe answer for an analyzer that does not say.
     */
    default boolean usesEmbeddings() {
        return true;
    }
}
