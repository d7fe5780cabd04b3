package dev.aar.core.extract;

import dev.aar.core.error.AarException;

/** An extraction or preflight was cancelled; everything it had written was removed. */
public final class ExtractionCancelledException extends AarException {

    public ExtractionCancelledException() {
        super("cancelled; nothing was kept");
    }

    @Override
    public String code() {
        return "extract.cancelled";
    }

    /** Cancellation is the caller's choice, not a fault in the input. */
    @Override
    public boolean isClientError() {
        return false;
    }
}
