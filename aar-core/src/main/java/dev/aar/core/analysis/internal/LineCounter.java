package dev.aar.core.analysis.internal;

/** Counts lines the way editors number them. */
public final class LineCounter {

    private LineCounter() {
    }

    /** Returns the number of lines of {@code text}: 0 when empty; a final newline does not start a new line. */
    public static int lines(String text) {
        if (text.isEmpty()) {
            return 0;
        }
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                n++;
            }
        }
        return text.charAt(text.length() - 1) == '\n' ? n : n + 1;
    }
}
