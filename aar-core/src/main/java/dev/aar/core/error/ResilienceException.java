package dev.aar.core.error;

/** A resilience pipeline gave up on a call for a reason of its own (deadline, open breaker, rate limit). */
public final class ResilienceException extends AarException {

    /** Why the pipeline gave up. */
    public enum Reason {
        /** The pipeline's total timeout passed before the call succeeded. */
        TIMEOUT,
        /** One attempt ran longer than the pipeline's per-attempt timeout. */
        ATTEMPT_TIMEOUT,
        /** The circuit breaker was open and the pipeline does not wait, or waited longer than allowed. */
        BREAKER_OPEN,
        /** A request or token limiter could not grant a permit in time. */
        RATE_LIMITED,
        /** The calling thread was interrupted while waiting. */
        INTERRUPTED
    }

    private final Reason reason;
    private final String pipeline;

    public ResilienceException(Reason reason, String pipeline, String message, Throwable cause) {
        super(pipeline + ": " + message, cause);
        this.reason = reason;
        this.pipeline = pipeline;
    }

    /** Returns why the pipeline gave up. */
    public Reason reason() {
        return reason;
    }

    /** Returns the name of the pipeline that gave up. */
    public String pipeline() {
        return pipeline;
    }

    @Override
    public String code() {
        return "resilience." + reason.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public boolean isClientError() {
        return false;
    }
}
