package dev.aar.core.analysis.internal;

/** Counts lines the way editors number them. */
public final class LineCounter {

    /** Characters counted between two reports to the step counter. */
    private static final int CHUNK = 1 << 16;

    private LineCounter() {
    }

    /** Returns the number of lines of {@code text}: 0 when empty; a final newline does not start a new line. */
    public static int lines(String text) {
        return lines(text, Work.unchecked());
    }

    /** Counts like {@link #lines(String)}, reporting every character to {@code work}. */
    public static int lines(String text, Work work) {
        if (text.isEmpty()) {
            return 0;
        }
        int n = 0;
        int length = text.length();
        for (int from = 0; from < length; from += CHUNK) {
            int to = Math.min(length, from + CHUNK);
            for (int i = from; i < to; i++) {
                if (text.charAt(i) == '\n') {
                    n++;
                }
            }
            work.add(to - from);
        }
        return text.charAt(length - 1) == '\n' ? n : n + 1;
    }
}
