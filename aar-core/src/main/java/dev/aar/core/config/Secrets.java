package dev.aar.core.config;

/** Keeps secrets out of logs and {@code toString()}. */
public final class Secrets {

    private Secrets() {
    }

    /** Returns "(unset)" for null, otherwise "****" — never any character of the secret. */
    public static String mask(String secret) {
        return secret == null ? "(unset)" : "****";
    }

    /**
     * Hides the password in a URL such as {@code jdbc:postgresql://user:pass@host/db}, and the value of
     * every parameter after {@code ?}, {@code &} or {@code ;} ({@code password=}, {@code sslpassword=}, tokens...).
     */
    public static String maskUrl(String url) {
        if (url == null) {
            return "(unset)";
        }
        // up to the last '@' before the query: a password with an unencoded '@' is still hidden whole
        String masked = url.replaceAll("(//[^:/@?#]+:)[^?#]*@", "$1****@");
        return masked.replaceAll("([?&;][^=&;?]+=)[^&;]*", "$1****");
    }
}
