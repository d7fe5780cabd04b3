package dev.aar.core.redact;

/**
 * Shortens absolute paths in a message to {@code …/} and their last name, so a client learns which
 * file was involved but not where the server keeps it. A path starts at a {@code /} (or a drive such
 * as {@code C:\}, or after {@code file:}) that follows the start of the text, a blank, a quote, a
 * bracket, {@code =} or a lone {@code :}, and has at least two names; URLs ({@code https://host/a/b})
 * and relative paths ({@code src/App.java}) are left alone.
 */
final class ServerPaths {

    static final String ELLIPSIS = "…/";

    private ServerPaths() {
    }

    static String mask(CharSequence text) {
        StringBuilder out = null;
        int copied = 0;
        int n = text.length();
        int i = 0;
        while (i < n) {
            int start = pathStart(text, i);
            if (start < 0) {
                i++;
                continue;
            }
            int end = start;
            int separators = 0;
            int lastName = start;
            while (end < n && isPathChar(text.charAt(end))) {
                char c = text.charAt(end);
                if (c == '/' || c == '\\') {
                    separators++;
                    lastName = end + 1;
                }
                end++;
            }
            // a sentence may end right after a path: "… into /a/b: failed", "(see /a/b)."
            while (end > lastName && (text.charAt(end - 1) == ':' || text.charAt(end - 1) == '.')) {
                end--;
            }
            if (separators >= 2) {
                // a directory ("/srv/aar-data/work/") is shown by its last name too
                int nameEnd = end;
                while (nameEnd > start && isSeparator(text.charAt(nameEnd - 1))) {
                    nameEnd--;
                }
                int nameStart = nameEnd;
                while (nameStart > start && !isSeparator(text.charAt(nameStart - 1))) {
                    nameStart--;
                }
                if (out == null) {
                    out = new StringBuilder(n);
                }
                out.append(text, copied, i).append(ELLIPSIS).append(text, nameStart, nameEnd);
                copied = end;
            }
            i = Math.max(end, i + 1);
        }
        return out == null ? text.toString() : out.append(text, copied, n).toString();
    }

    /**
     * Returns where the path's names start if an absolute path starts at {@code i} (the index of its
     * first character, which is replaced along with the rest), or -1.
     */
    private static int pathStart(CharSequence text, int i) {
        char c = text.charAt(i);
        int n = text.length();
        if (i > 0 && !isBoundary(text, i)) {
            return -1;
        }
        if (c == '/') {
            // "//host" is a URL or a network path; "/x" is a path
            return i + 1 < n && text.charAt(i + 1) != '/' && !Character.isWhitespace(text.charAt(i + 1)) ? i : -1;
        }
        if (((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) && i + 2 < n && text.charAt(i + 1) == ':'
                && text.charAt(i + 2) == '\\') {
            return i;
        }
        if ((c == 'f' || c == 'F') && i + 5 < n && regionMatchesFile(text, i)) {
            int j = i + 5;
            while (j < n && text.charAt(j) == '/') {
                j++;
            }
            return j > i + 5 && j < n ? i : -1;
        }
        return -1;
    }

    private static boolean regionMatchesFile(CharSequence text, int i) {
        return Character.toLowerCase(text.charAt(i + 1)) == 'i' && Character.toLowerCase(text.charAt(i + 2)) == 'l'
                && Character.toLowerCase(text.charAt(i + 3)) == 'e' && text.charAt(i + 4) == ':';
    }

    private static boolean isBoundary(CharSequence text, int i) {
        char p = text.charAt(i - 1);
        if (p == ':') {
            // "jdbc:sqlite:/x/y" is a path, "https://" is not (the caller checks the second slash)
            return true;
        }
        return Character.isWhitespace(p) || p == '\'' || p == '"' || p == '(' || p == '[' || p == '{' || p == '<'
                || p == '=' || p == ',' || p == ';' || p == '`';
    }

    private static boolean isSeparator(char c) {
        return c == '/' || c == '\\';
    }

    private static boolean isPathChar(char c) {
        return !Character.isWhitespace(c) && c != '\'' && c != '"' && c != '<' && c != '>' && c != '|' && c != ','
                && c != ';' && c != '(' && c != ')' && c != '[' && c != ']' && c != '{' && c != '}' && c != '`';
    }
}
