package dev.aar.core.event;

/**
 * Receives pipeline events. Register any number with the {@code Aar} builder.
 *
 * <p>Listeners are called from a dispatcher thread, never from a worker, so a slow listener does
 * not slow processing; an exception thrown by a listener is logged and does not affect other
 * listeners or the job. Progress updates for the same job may be coalesced when a listener falls
 * behind; findings and completions are never dropped.
 */
@FunctionalInterface
public interface ProgressListener {

    /** Called once per event, in the order events were published for a job. */
    void onEvent(ProgressEvent event);
}
