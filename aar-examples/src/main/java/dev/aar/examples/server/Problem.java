package dev.aar.examples.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.aar.core.redact.Redactor;

/**
 * An RFC 9457 problem document ({@code application/problem+json}) with a stable {@code code}.
 *
 * @param type a URI naming the problem kind
 * @param title a short summary
 * @param status the HTTP status
 * @param detail what went wrong in this request (secrets masked, no server path)
 * @param code the machine-readable code, stable across releases (for example {@code upload.checksum_mismatch})
 * @param correlationId for a server failure (5xx), the id under which the server log holds the full
 *     detail; null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code, String correlationId) {

    /** A problem whose type is derived from its code. */
    public static Problem of(int status, String title, String code, String detail) {
        return of(status, title, code, detail, null);
    }

    /** A problem whose type is derived from its code, carrying the correlation id of a server failure. */
    public static Problem of(int status, String title, String code, String detail, String correlationId) {
        return new Problem("https://aar.dev/problems/" + code, title, status, Redactor.redact(detail), code, correlationId);
    }
}
