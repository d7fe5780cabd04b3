package dev.aar.core.redact;

/**
 * Masks the body of every PEM block ({@code -----BEGIN … -----} … {@code -----END … -----}), whether
 * its lines are real line breaks or escaped {@code \n} inside one string literal: the header and
 * footer stay (they say what was there), everything between becomes the mask. A header without a
 * footer (text cut short) has everything after it masked.
 */
final class PemBlocks {

    // searched without their dashes: Scan.indexOf needs a first character that does not recur
    private static final String BEGIN = "BEGIN ";
    private static final String END = "END ";
    private static final String DASHES = "-----";
    private static final int MAX_LABEL = 64;

    private PemBlocks() {
    }

    static String mask(CharSequence text) {
        int begin = next(text, BEGIN, 0);
        if (begin < 0) {
            return text.toString();
        }
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        while (begin >= 0) {
            int bodyStart = headerEnd(text, begin + DASHES.length() + BEGIN.length());
            if (bodyStart < 0) {
                begin = next(text, BEGIN, begin + 1);
                continue;
            }
            out.append(text, copied, bodyStart).append(Redactor.MASK);
            int end = next(text, END, bodyStart);
            if (end < 0) {
                // no footer anywhere after this header: no later header can have one either
                return out.toString();
            }
            copied = end;
            int footerEnd = headerEnd(text, end + DASHES.length() + END.length());
            begin = next(text, BEGIN, footerEnd < 0 ? end + 1 : footerEnd);
        }
        return out.append(text, copied, text.length()).toString();
    }

    /** Returns where the next {@code -----word} at or after {@code from} starts (at its dashes), or -1. */
    private static int next(CharSequence text, String word, int from) {
        int at = Scan.indexOf(text, word, from + DASHES.length());
        while (at >= 0 && !Scan.startsWith(text, DASHES, at - DASHES.length())) {
            at = Scan.indexOf(text, word, at + 1);
        }
        return at < 0 ? -1 : at - DASHES.length();
    }

    /** Returns the index after the closing dashes of a label starting at {@code from}, or -1 if there is none. */
    private static int headerEnd(CharSequence text, int from) {
        int limit = Math.min(text.length(), from + MAX_LABEL);
        for (int i = from; i < limit; i++) {
            char c = text.charAt(i);
            if (c == '-') {
                return i > from && Scan.startsWith(text, DASHES, i) ? i + DASHES.length() : -1;
            }
            if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ')) {
                return -1;
            }
        }
        return -1;
    }
}
