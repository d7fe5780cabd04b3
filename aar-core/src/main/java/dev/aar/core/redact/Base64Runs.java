package dev.aar.core.redact;

/**
 * Masks long runs of base64 that look random: Azure storage keys, AWS secret keys, the body lines of a
 * PEM block seen without its header (a search snippet that starts mid-key), and base64-encoded PEM
 * blocks in configuration ({@code LS0tLS1CRUdJTi…}, which is "-----BEGIN" encoded). A run qualifies
 * when it is at least {@value #MIN_LENGTH} characters long, mixes upper case, lower case and digits,
 * and has few slashes (a long path such as {@code src/main/java/App2} is not random).
 */
final class Base64Runs {

    static final int MIN_LENGTH = 40;
    private static final String ENCODED_PEM = "LS0tLS1CRUdJTi";

    private Base64Runs() {
    }

    static String mask(CharSequence text) {
        StringBuilder out = null;
        int copied = 0;
        int n = text.length();
        int i = 0;
        while (i < n) {
            if (!Scan.isBase64(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            int upper = 0;
            int lower = 0;
            int digits = 0;
            int slashes = 0;
            while (i < n && Scan.isBase64(text.charAt(i))) {
                char c = text.charAt(i);
                if (c >= 'A' && c <= 'Z') {
                    upper++;
                } else if (c >= 'a' && c <= 'z') {
                    lower++;
                } else if (c >= '0' && c <= '9') {
                    digits++;
                } else if (c == '/') {
                    slashes++;
                }
                i++;
            }
            while (i < n && text.charAt(i) == '=') {
                i++;
            }
            int length = i - start;
            boolean random = length >= MIN_LENGTH && upper >= 2 && lower >= 2 && digits >= 2 && slashes * 12 <= length;
            if (random || length >= ENCODED_PEM.length() && Scan.startsWith(text, ENCODED_PEM, start)) {
                if (out == null) {
                    out = new StringBuilder(n);
                }
                out.append(text, copied, start).append(Redactor.MASK);
                copied = i;
            }
        }
        return out == null ? text.toString() : out.append(text, copied, n).toString();
    }
}
