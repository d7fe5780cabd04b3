package dev.aar.core.extract;

import java.util.concurrent.atomic.AtomicBoolean;

/** A flag another thread sets to stop an extraction or preflight; checked between entries and buffers. */
public final class Cancellation {

    /** A cancellation that never fires. */
    public static final Cancellation NEVER = new Cancellation();

    private final AtomicBoolean cancelled = new AtomicBoolean();

    /** Asks the running operation to stop; it cleans up and throws {@link ExtractionCancelledException}. */
    public void cancel() {
        if (this == NEVER) {
            throw new IllegalStateException("Cancellation.NEVER cannot be cancelled");
        }
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    /** Throws {@link ExtractionCancelledException} if cancelled or if the thread was interrupted. */
    public void check() {
        if (cancelled.get() || Thread.currentThread().isInterrupted()) {
            throw new ExtractionCancelledException();
        }
    }
}
