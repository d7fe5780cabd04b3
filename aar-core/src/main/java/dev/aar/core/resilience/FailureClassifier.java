package dev.aar.core.resilience;

import dev.aar.core.error.AarException;
import dev.aar.core.error.ResilienceException;
import dev.aar.embedding.EmbeddingProviderException;
import dev.aar.spi.BackendException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Tells a {@link ResiliencePipeline} what a failure means: retry it or not, count it against the
 * breaker or not, and whether the server asked for a particular wait.
 */
public interface FailureClassifier {

    /**
     * Understands the SDK's own failures: a backend's {@link BackendException} is transient when its
     * {@link BackendException#isTransient()} says so (an {@link EmbeddingProviderException}: no response,
     * 408, 409, 429, 5xx); any other {@link UncheckedIOException} is transient; an attempt timeout is transient; anything else
     * (bad input, bad key, missing blob, client errors) is not.
     */
    FailureClassifier DEFAULT = new FailureClassifier() {
    };

    /** Returns whether trying again may succeed. */
    default boolean isTransient(Throwable failure) {
        if (failure instanceof BackendException e) {
            return e.isTransient(); // an EmbeddingProviderException by its status, a storage failure: yes
        }
        if (failure instanceof ResilienceException e) {
            return e.reason() == ResilienceException.Reason.ATTEMPT_TIMEOUT;
        }
        if (failure instanceof AarException e) {
            return !e.isClientError();
        }
        return failure instanceof UncheckedIOException;
    }

    /**
     * Returns whether the failure says the service is unhealthy and counts towards opening the
     * breaker. A 429 does not: the service is up and has said when to come back.
     */
    default boolean tripsBreaker(Throwable failure) {
        if (failure instanceof EmbeddingProviderException e && e.statusCode() == 429) {
            return false;
        }
        return isTransient(failure);
    }

    /**
     * Returns whether the failure is the service throttling us (HTTP 429): retried after the wait it
     * asks for, without using up a retry, for as long as the total timeout allows.
     */
    default boolean isThrottling(Throwable failure) {
        return failure instanceof EmbeddingProviderException e && e.statusCode() == 429;
    }

    /** Returns the wait the server asked for before the next attempt, if any. */
    default Optional<Duration> retryAfter(Throwable failure) {
        if (failure instanceof EmbeddingProviderException e) {
            return e.retryAfter();
        }
        return Optional.empty();
    }
}
