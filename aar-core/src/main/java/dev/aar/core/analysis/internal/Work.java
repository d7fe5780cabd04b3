package dev.aar.core.analysis.internal;

/**
 * Counts the steps a scanner takes over its input and, every {@value #CHECK_INTERVAL} steps, runs a
 * check that may stop it by throwing.
 *
 * <p>A step is one character looked at (or handed to a linear-time matcher). The count makes the
 * scanners' cost measurable without a clock (property tests assert it grows linearly), and the
 * periodic check is how cancellation, a lost lease and time budgets reach the inside of a scan.
 */
public final class Work {

    /** Steps between two checks: a few microseconds of scanning, so a stop is seen at once. */
    public static final int CHECK_INTERVAL = 1 << 14;

    private static final Runnable NO_CHECK = () -> { };

    private final Runnable check;
    private long steps;
    private long nextCheck = CHECK_INTERVAL;

    /** Counts steps and runs {@code check} every {@value #CHECK_INTERVAL} of them. */
    public Work(Runnable check) {
        this.check = check;
    }

    /** Returns a counter that never stops its scanner. */
    public static Work unchecked() {
        return new Work(NO_CHECK);
    }

    /** Records {@code n} more steps; runs the check when one is due. */
    public void add(long n) {
        steps += n;
        if (steps >= nextCheck) {
            nextCheck = steps + CHECK_INTERVAL;
            check.run();
        }
    }

    /**
     * Returns {@code text} as a sequence that records a step for every character read from it: what
     * a regular-expression engine is given, so its work is counted exactly and a stop reaches the
     * inside of a match (RE2/J is linear, but over megabytes still takes seconds).
     */
    public CharSequence counted(CharSequence text) {
        return new Counted(text, this);
    }

    /** A character sequence whose reads are steps. */
    private record Counted(CharSequence text, Work work) implements CharSequence {
        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            work.add(1);
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            work.add(end - start);
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            work.add(text.length());
            return text.toString();
        }
    }

    /** Returns the steps recorded so far. */
    public long steps() {
        return steps;
    }
}
