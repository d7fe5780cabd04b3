package dev.aar.azure;

import dev.aar.core.error.AarException;
import java.util.Locale;

/** The LLM reviewer could not get a review from the chat model; the message says what to fix. */
public final class LlmReviewException extends AarException {

    /** Why no review came back. */
    public enum Reason {
        /** The service refused the request for good (bad key, unknown model or deployment, bad request). */
        REJECTED,
        /** The service stayed unreachable or failing until the resilience pipeline gave up. */
        UNAVAILABLE,
        /** The service answered, but not with a chat completion (a proxy's page, a broken body). */
        INVALID_ANSWER
    }

    private final Reason reason;
    private final int statusCode;

    public LlmReviewException(Reason reason, int statusCode, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.statusCode = statusCode;
    }

    /** Returns why no review came back. */
    public Reason reason() {
        return reason;
    }

    /** Returns the last HTTP status, or 0 when there was no answer. */
    public int statusCode() {
        return statusCode;
    }

    @Override
    public String code() {
        return "llm_review." + reason.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean isClientError() {
        return reason == Reason.REJECTED;
    }
}
