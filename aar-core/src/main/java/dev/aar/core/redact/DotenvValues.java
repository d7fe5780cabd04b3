package dev.aar.core.redact;

/**
 * Masks the value of every {@code NAME=value} line of a {@code .env} file (optionally after
 * {@code export}): a dotenv file exists to hold configuration kept out of the code, so every value
 * is treated as secret, whatever its name.
 */
final class DotenvValues {

    private DotenvValues() {
    }

    static String mask(CharSequence text) {
        StringBuilder out = new StringBuilder(text.length());
        int n = text.length();
        int lineStart = 0;
        while (lineStart <= n) {
            int lineEnd = lineStart;
            while (lineEnd < n && text.charAt(lineEnd) != '\n') {
                lineEnd++;
            }
            int value = valueStart(text, lineStart, lineEnd);
            int valueEnd = value >= 0 && lineEnd > value && text.charAt(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
            if (value >= 0 && !Placeholders.isPlaceholder(text, value, valueEnd)
                    && !(valueEnd - value == 2 && (text.charAt(value) == '"' || text.charAt(value) == '\''))) {
                out.append(text, lineStart, value).append(Redactor.MASK).append(text, valueEnd, lineEnd);
            } else {
                out.append(text, lineStart, lineEnd);
            }
            if (lineEnd < n) {
                out.append('\n');
            }
            lineStart = lineEnd + 1;
        }
        return out.toString();
    }

    /** Returns where the value of a {@code NAME=value} line starts, or -1 if the line is not one. */
    private static int valueStart(CharSequence text, int from, int to) {
        int i = skipBlanks(text, from, to);
        if (Scan.startsWith(text, "export ", i)) {
            i = skipBlanks(text, i + "export ".length(), to);
        }
        int name = i;
        while (i < to && isNameChar(text.charAt(i))) {
            i++;
        }
        if (i == name) {
            return -1;
        }
        i = skipBlanks(text, i, to);
        if (i >= to || text.charAt(i) != '=') {
            return -1;
        }
        i = skipBlanks(text, i + 1, to);
        return i < to ? i : -1;
    }

    private static int skipBlanks(CharSequence text, int from, int to) {
        int i = from;
        while (i < to && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-';
    }
}
