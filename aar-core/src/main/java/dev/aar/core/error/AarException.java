package dev.aar.core.error;

/**
 * The root of every exception the SDK throws on purpose.
 *
 * <p>Each subclass carries a machine-readable {@link #code()} (stable across releases, safe to show
 * to API clients and to switch on) beside a human-readable message that says what and why.
 */
public abstract class AarException extends RuntimeException {

    protected AarException(String message) {
        super(message);
    }

    protected AarException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Returns a stable code such as {@code "archive.path_traversal"} or {@code "config.out_of_range"}. */
    public abstract String code();

    /** Returns whether the caller's input was refused (as opposed to an internal failure). */
    public boolean isClientError() {
        return true;
    }
}
