package dev.aar.core.preflight;

import java.util.Objects;

/**
 * Why an archive is not within limits.
 *
 * @param code a stable machine-readable code, e.g. {@code archive.upload_too_large}
 * @param message one sentence saying what and why
 */
public record RejectionReason(String code, String message) {

    public RejectionReason {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }
}
