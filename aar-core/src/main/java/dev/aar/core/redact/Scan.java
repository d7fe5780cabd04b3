package dev.aar.core.redact;

/** Single-pass helpers over a {@link CharSequence}, reading each character through {@code charAt}. */
final class Scan {

    private Scan() {
    }

    /**
     * Returns the first index at or after {@code from} where {@code needle} starts, or -1. A needle
     * whose first character does not repeat inside it (all of ours) never makes this re-read text,
     * so one call reads at most {@code text.length() - from} characters plus the needle's length.
     */
    static int indexOf(CharSequence text, String needle, int from) {
        if (text instanceof String s) {
            return s.indexOf(needle, from);
        }
        int n = text.length();
        int m = needle.length();
        char first = needle.charAt(0);
        for (int i = Math.max(0, from); i + m <= n; i++) {
            if (text.charAt(i) != first) {
                continue;
            }
            int j = 1;
            while (j < m && text.charAt(i + j) == needle.charAt(j)) {
                j++;
            }
            if (j == m) {
                return i;
            }
            // the first character does not occur again in the needle, so no match starts before i + j
            i += j - 1;
        }
        return -1;
    }

    static boolean startsWith(CharSequence text, String prefix, int at) {
        if (at + prefix.length() > text.length()) {
            return false;
        }
        for (int j = 0; j < prefix.length(); j++) {
            if (text.charAt(at + j) != prefix.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    static boolean isBase64(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    }
}
