package dev.aar.core.redact;

import dev.aar.core.error.AarException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A failure as a client may see it: a stable code, a message with no secret, server path or wrapped
 * IO/SQL text, and a correlation id that the server's log line carries beside the full detail.
 *
 * <p>A refused input ({@link AarException#isClientError()}) keeps its own message, masked and with
 * absolute paths shortened, since it tells the caller what to fix. Anything else (a backend, an I/O
 * error, a bug) shows only its code ({@code backend.blob_failed}, {@value #IO_CODE}, {@value #INTERNAL_CODE})
 * and the correlation id: the operator finds the rest in the log.
 *
 * @param code the stable, machine-readable code
 * @param message what a client may read
 * @param correlationId a short random id, repeated in the server log with the full detail
 */
public record ClientError(String code, String message, String correlationId) {

    /** The code of a failure that is neither an {@link AarException} nor an I/O error. */
    public static final String INTERNAL_CODE = "internal";
    /** The code of an I/O failure that is not an {@link AarException}. */
    public static final String IO_CODE = "io.failed";

    public ClientError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(correlationId, "correlationId");
    }

    /** Returns what a client may see of {@code failure}, with a new correlation id. */
    public static ClientError of(Throwable failure) {
        String id = newCorrelationId();
        if (failure instanceof AarException a && a.isClientError()) {
            return new ClientError(a.code(), Redactor.forClient(String.valueOf(a.getMessage())), id);
        }
        String code = failure instanceof AarException a ? a.code()
                : failure instanceof IOException || failure instanceof UncheckedIOException ? IO_CODE : INTERNAL_CODE;
        return new ClientError(code, "the server failed; its log has the details under correlation id "
                + id, id);
    }

    /** Returns an error whose message the SDK wrote itself and knows to be safe (still masked, to be sure). */
    public static ClientError of(String code, String message) {
        return new ClientError(code, Redactor.forClient(message), newCorrelationId());
    }

    /** Returns {@code "code: message"}, the form kept in a job's error history and events. */
    public String text() {
        return code + ": " + message;
    }

    /** Returns a new correlation id: 12 random hex digits, enough to find one log line among millions. */
    public static String newCorrelationId() {
        return String.format("%012x", ThreadLocalRandom.current().nextLong() & 0xFFFF_FFFF_FFFFL);
    }
}
