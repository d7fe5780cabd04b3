package dev.aar.core.preflight;

/**
 * Counts approximate cl100k pre-tokens (word runs, digit triples, punctuation runs, newline groups,
 * indentation) at memory speed. Token counts track pre-token counts far more closely than byte
 * counts do (comments and code differ a lot in bytes per token, little in tokens per pre-token),
 * so FAST mode extrapolates from this. Not thread-safe; {@link #reset()} between files.
 *
 * <p>The rules, per run of bytes of one class: a letter run (ASCII letters and every byte of a
 * multi-byte character) is one pre-token; a digit run is one per started triple; a punctuation run
 * is one, except a single punctuation byte right before a letter (it joins the word, as in
 * {@code .name} or {@code 's}); a space run before a newline is nothing, a single space before a
 * letter or punctuation joins it, otherwise a space run is one; a newline run is one unless it
 * follows punctuation.
 *
 * <p>These rules are compiled into an 11-state automaton: each byte costs a class look-up and one
 * table step that yields the next state and how many pre-tokens the step completed, with no
 * data-dependent branch. (FAST preflight scans every indexable byte, so this loop is most of its
 * Java time.)
 */
final class PreTokenScanner {

    // byte classes; END is never a byte's class, it finishes the last run
    private static final int END = 0;
    private static final int LETTER = 1;
    private static final int DIGIT = 2;
    private static final int PUNCT = 3;
    private static final int SPACE = 4;
    private static final int NEWLINE = 5;
    private static final int CLASSES = 8; // row width of the table, a power of two

    // states: the run being read, with what its contribution still depends on
    private static final int S_NONE = 0;
    private static final int S_LETTER = 1;
    private static final int S_DIGIT1 = 2; // digit run of length 1 (mod 3)
    private static final int S_DIGIT2 = 3; // 2 (mod 3)
    private static final int S_DIGIT0 = 4; // 0 (mod 3), at least 3
    private static final int S_PUNCT1 = 5; // a single punctuation byte so far
    private static final int S_PUNCTN = 6;
    private static final int S_SPACE1 = 7;
    private static final int S_SPACEN = 8;
    private static final int S_NEWLINE_AFTER_PUNCT = 9;
    private static final int S_NEWLINE = 10;
    private static final int STATES = 11;

    private static final int EMIT_SHIFT = 16;
    private static final int STATE_MASK = (1 << EMIT_SHIFT) - 1;

    private static final byte[] CLASS = new byte[256];
    /** Indexed by {@code state * CLASSES + class}: {@code (pre-tokens completed << 16) | nextState * CLASSES}. */
    private static final int[] STEP = new int[STATES * CLASSES];

    static {
        for (int b = 0; b < 256; b++) {
            int c;
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
            CLASS[b] = (byte) c;
        }
        for (int s = 0; s < STATES; s++) {
            for (int c = END; c <= NEWLINE; c++) {
                int next = next(s, c);
                int emit = (continues(s, c) ? 0 : ends(s, c)) + (next == S_DIGIT1 ? 1 : 0);
                STEP[s * CLASSES + c] = emit << EMIT_SHIFT | next * CLASSES;
            }
        }
    }

    private static boolean continues(int state, int c) {
        return c != END && classOf(state) == c;
    }

    private static int classOf(int state) {
        return switch (state) {
            case S_LETTER -> LETTER;
            case S_DIGIT1, S_DIGIT2, S_DIGIT0 -> DIGIT;
            case S_PUNCT1, S_PUNCTN -> PUNCT;
            case S_SPACE1, S_SPACEN -> SPACE;
            case S_NEWLINE_AFTER_PUNCT, S_NEWLINE -> NEWLINE;
            default -> END;
        };
    }

    private static int next(int s, int c) {
        if (c == END) {
            return S_NONE;
        }
        if (continues(s, c)) {
            return switch (s) {
                case S_DIGIT1 -> S_DIGIT2;
                case S_DIGIT2 -> S_DIGIT0;
                case S_DIGIT0 -> S_DIGIT1; // a new triple starts
                case S_PUNCT1 -> S_PUNCTN;
                case S_SPACE1 -> S_SPACEN;
                default -> s;
            };
        }
        return switch (c) {
            case LETTER -> S_LETTER;
            case DIGIT -> S_DIGIT1;
            case PUNCT -> S_PUNCT1;
            case SPACE -> S_SPACE1;
            default -> classOf(s) == PUNCT ? S_NEWLINE_AFTER_PUNCT : S_NEWLINE;
        };
    }

    /** What the run in state {@code s} contributes when a byte of class {@code next} (or the end) follows it. */
    private static int ends(int s, int next) {
        return switch (s) {
            case S_LETTER, S_PUNCTN, S_NEWLINE -> 1;
            case S_PUNCT1 -> next == LETTER ? 0 : 1;
            case S_SPACE1 -> next == NEWLINE || next == LETTER || next == PUNCT ? 0 : 1;
            case S_SPACEN -> next == NEWLINE ? 0 : 1;
            default -> 0; // none; digits were counted per triple as they came; newlines after punctuation
        };
    }

    private int state; // S_x * CLASSES
    private long count;

    void reset() {
        state = S_NONE;
        count = 0;
    }

    void scan(byte[] b, int off, int len) {
        int s = state;
        long n = count;
        for (int i = off, end = off + len; i < end; i++) {
            int step = STEP[s + CLASS[b[i] & 0xff]];
            n += step >>> EMIT_SHIFT;
            s = step & STATE_MASK;
        }
        state = s;
        count = n;
    }

    /** Returns the pre-token count of everything scanned since {@link #reset()}. */
    long count() {
        return count + (STEP[state + END] >>> EMIT_SHIFT);
    }
}
