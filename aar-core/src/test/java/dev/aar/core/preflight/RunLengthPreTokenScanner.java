package dev.aar.core.preflight;

/**
 * The first, run-length form of {@link PreTokenScanner}'s rules, kept as the reference the
 * table-driven scanner is checked against: a run's contribution is decided when it ends, from its
 * class, its length, the class before it and the class after it.
 */
final class RunLengthPreTokenScanner {

    private static final byte NONE = 0;
    private static final byte LETTER = 1;
    private static final byte DIGIT = 2;
    private static final byte PUNCT = 3;
    private static final byte SPACE = 4;
    private static final byte NEWLINE = 5;
    private static final byte[] CLASS = new byte[256];

    static {
        for (int b = 0; b < 256; b++) {
            byte c;
            if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b >= 0x80) {
                c = LETTER;
            } else if (b >= '0' && b <= '9') {
                c = DIGIT;
            } else if (b == ' ' || b == '\t' || b == 0x0b || b == 0x0c) {
                c = SPACE;
            } else if (b == '\n' || b == '\r') {
                c = NEWLINE;
            } else {
                c = PUNCT;
            }
            CLASS[b] = c;
        }
    }

    private byte current = NONE;
    private byte before = NONE;
    private long run;
    private long count;

    void reset() {
        current = NONE;
        before = NONE;
        run = 0;
        count = 0;
    }

    void scan(byte[] b, int off, int len) {
        byte cur = current;
        long r = run;
        for (int i = off; i < off + len; i++) {
            byte c = CLASS[b[i] & 0xff];
            if (c == cur) {
                r++;
            } else {
                end(cur, r, c);
                before = cur;
                cur = c;
                r = 1;
            }
        }
        current = cur;
        run = r;
    }

    /** Returns the pre-token count of everything scanned since {@link #reset()}. */
    long count() {
        long c = count;
        byte saved = before;
        end(current, run, NONE);
        long result = count;
        count = c;
        before = saved;
        return result;
    }

    private void end(byte cls, long n, byte next) {
        switch (cls) {
            case LETTER -> count++;
            case DIGIT -> count += (n + 2) / 3;
            case PUNCT -> count += (n == 1 && next == LETTER) ? 0 : 1;
            case SPACE -> {
                if (next == NEWLINE) {
                    return;
                }
                if (next == LETTER || next == PUNCT) {
                    count += n >= 2 ? 1 : 0;
                } else {
                    count++;
                }
            }
            case NEWLINE -> count += before == PUNCT ? 0 : 1;
            default -> { }
        }
    }
}
