package dev.aar.core.config;

/** Keeps secrets out of logs and {@code toString()}. */
public final class Secrets {

    private Secrets() {
    }

    /** Returns "(unset)" for null, otherwise "****" — never any character of the secret. */
    public static String mask(String secret) {
        return secret == null ? "(unset)" : "****";
    }

    /** Hides the password in a URL such as {@code postgresql://user:pass@host/db} or a {@code password=} parameter. */
    public static String maskUrl(String url) {
        if (url == null) {
            return "(unset)";
        }
        String masked = url.replaceAll("(//[^:/@]+:)[^@]*@", "$1****@");
        return masked.replaceAll("(?i)(password=)[^&;]*", "$1****");
    }
}
