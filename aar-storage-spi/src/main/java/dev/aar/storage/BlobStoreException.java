package dev.aar.storage;

import dev.aar.spi.BackendException;
import java.io.IOException;

/**
 * A {@link BlobStore} operation failed in the backend (an I/O error, a refused request); a
 * {@link BackendException}, and so the {@link java.io.UncheckedIOException} the storage SPI has always
 * reported. Backends create it with {@link BlobStore#failure(String, IOException)}; a store that throws a
 * plain {@code UncheckedIOException} still meets the SPI.
 */
public class BlobStoreException extends BackendException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong
     * @param cause the backend's I/O error
     */
    public BlobStoreException(String message, IOException cause) {
        super(message, cause);
    }
}
