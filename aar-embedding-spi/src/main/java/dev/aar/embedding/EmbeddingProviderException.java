package dev.aar.embedding;

import dev.aar.spi.BackendException;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An {@link EmbeddingProvider} call failed; carries what a retry policy needs to decide.
 *
 * <p>Like every backend failure it is a {@link BackendException} (the SPIs' common root, JDK-only), not a
 * subclass of the SDK's {@code AarException}; the SDK translates it at its boundary. {@link #getCause()}
 * is an {@link java.io.IOException} holding the provider's own cause, as {@code BackendException} says.
 */
public class EmbeddingProviderException extends BackendException {

    private final int statusCode;
    private final @Nullable Duration retryAfter;

    /**
     * @param message what went wrong (never containing credentials)
     * @param statusCode the HTTP status, or 0 when there was no response (timeout, connection refused)
     * @param retryAfter how long the provider asked us to wait, or null
     * @param cause the underlying error, or null
     */
    public EmbeddingProviderException(String message, int statusCode, @Nullable Duration retryAfter,
            @Nullable Throwable cause) {
        super(message, cause);
        this.statusCode = statusCode;
        this.retryAfter = retryAfter;
    }

    /** Returns the HTTP status, or 0 when no response arrived. */
    public int statusCode() {
        return statusCode;
    }

    /** Returns the wait the provider asked for (a 429's or 503's Retry-After), if any. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * Returns whether trying again may succeed: no response, 408, 409, 429 and 5xx are transient;
     * other 4xx (bad key, bad input) are not.
     */
    @Override
    public boolean isTransient() {
        return statusCode == 0 || statusCode == 408 || statusCode == 409 || statusCode == 429 || statusCode >= 500;
    }
}
