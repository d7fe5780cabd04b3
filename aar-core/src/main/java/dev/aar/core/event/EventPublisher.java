package dev.aar.core.event;

/** Where the pipeline hands its events; returns at once, whatever the listeners do. */
@FunctionalInterface
public interface EventPublisher {

    /** Publishes {@code event} to every listener. */
    void publish(ProgressEvent event);

    /** Returns a publisher that discards every event. */
    static EventPublisher discarding() {
        return event -> { };
    }
}
