package dev.aar.core.error;

import java.time.Duration;

/**
 * An analysis ran past its deadline ({@code Analysis.DeadlineSeconds}) and was stopped; the last
 * guard against input that makes the analyzers slow, after the per-file limits.
 *
 * <p>A client error: the same upload would run out of time again, so the job is not retried.
 */
public final class AnalysisDeadlineException extends AarException {

    private final Duration deadline;

    public AnalysisDeadlineException(String projectId, Duration deadline) {
        super("analysis of project '" + projectId + "' did not finish within its deadline of " + deadline.toSeconds()
                + " s (Analysis.DeadlineSeconds)");
        this.deadline = deadline;
    }

    /** Returns the deadline that passed. */
    public Duration deadline() {
        return deadline;
    }

    @Override
    public String code() {
        return "analysis.deadline_exceeded";
    }
}
