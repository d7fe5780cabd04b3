package dev.aar.examples.server;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem document ({@code application/problem+json}) with a stable {@code code}.
 *
 * @param type a URI naming the problem kind
 * @param title a short summary
 * @param status the HTTP status
 * @param detail what went wrong in this request
 * @param code the machine-readable code, stable across releases (for example {@code upload.checksum_mismatch})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code) {

    /** A problem whose type is derived from its code. */
    public static Problem of(int status, String title, String code, String detail) {
        return new Problem("https://aar.dev/problems/" + code, title, status, detail, code);
    }
}
