package dev.aar.core.error;

/** A backend (blob store, database, queue, embedding service) failed; not the caller's fault. */
public final class StorageException extends AarException {

    private final String backend;

    public StorageException(String backend, String message, Throwable cause) {
        super(backend + ": " + message, cause);
        this.backend = backend;
    }

    /** Returns which backend failed ("blob", "queue", "embedding", ...). */
    public String backend() {
        return backend;
    }

    @Override
    public String code() {
        return "backend." + backend + "_failed";
    }

    @Override
    public boolean isClientError() {
        return false;
    }
}
