package dev.aar.spi;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.jspecify.annotations.Nullable;

/**
 * The root of every failure a backend reports through an SPI: a blob store, a job queue, a store,
 * an embedding provider. Catch this to handle any backend's failure in one place.
 *
 * <p>It is an {@link UncheckedIOException} on purpose: the storage SPI has always reported its
 * failures as {@code UncheckedIOException}, and code catching that keeps working. {@link #getCause()}
 * is therefore an {@link IOException}: the backend's own one when there was one, otherwise one
 * carrying this message and the backend's cause. {@link #isTransient()} says whether trying again
 * may succeed; the SDK's resilience pipelines retry on it.
 */
public class BackendException extends UncheckedIOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong (never containing credentials)
     * @param cause the backend's error, or null
     */
    public BackendException(String message, @Nullable Throwable cause) {
        super(message, cause instanceof IOException io ? io : new IOException(message, cause));
    }

    /** Returns whether trying again may succeed; by default yes (an I/O failure, a dropped connection). */
    public boolean isTransient() {
        return true;
    }
}
