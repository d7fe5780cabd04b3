package dev.aar.examples.server;

import java.io.IOException;

/**
 * A request body refused while it was being read: larger than its route's limit, or arriving more
 * slowly than {@link ServerLimits#minRequestDataRate()}. An {@link IOException} because it surfaces
 * from the body's stream, wherever that stream was read (Javalin, Jetty, the SDK); {@link Problems}
 * finds it in any cause chain and answers with its status and code.
 */
final class BodyReadException extends IOException {

    final int status;
    final String code;
    /** True when the limits refused the body; false when the client's connection failed it (idle, cut). */
    final boolean refused;

    private BodyReadException(int status, String code, String detail, boolean refused, Throwable cause) {
        super(detail, cause);
        this.status = status;
        this.code = code;
        this.refused = refused;
    }

    private BodyReadException(int status, String code, String detail) {
        this(status, code, detail, true, null);
    }

    /** The body's connection failed (idle timeout, early end): the client's doing, never a server error. */
    static BodyReadException interrupted(IOException cause) {
        return new BodyReadException(400, "request.interrupted", "the request body ended early or stalled ("
                + cause.getClass().getSimpleName() + "); send the request again", false, cause);
    }

    static BodyReadException tooLarge(String code, long limit, String what) {
        return new BodyReadException(413, code, "the request body is larger than " + what + " (" + limit + " bytes)");
    }

    static BodyReadException tooSlow(long minRate, long received, long waitedMillis) {
        return new BodyReadException(408, "request.too_slow", "the request body arrived at less than " + minRate
                + " bytes/s (" + received + " bytes in " + waitedMillis + " ms); send it faster or in smaller parts");
    }

    /** Returns the first {@link BodyReadException} in {@code e}'s cause chain, or null. */
    static BodyReadException in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BodyReadException b) {
                return b;
            }
            for (Throwable s : t.getSuppressed()) {
                if (s instanceof BodyReadException b) {
                    return b;
                }
            }
        }
        return null;
    }
}
