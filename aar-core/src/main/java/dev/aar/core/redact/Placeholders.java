package dev.aar.core.redact;

/**
 * Tells a stand-in value ({@code ${DB_PASSWORD}}, {@code <your-key>}, {@code {{token}}}, {@code $TOKEN} (upper case, as environment variables are named),
 * {@code %TOKEN%}, {@code null}, an already masked value) from a value worth hiding. Masking a stand-in
 * would hide nothing and make the evidence harder to read.
 */
final class Placeholders {

    private static final String[] WORDS = {"null", "none", "nil", "true", "false", "undefined", "string"};

    private Placeholders() {
    }

    static boolean isPlaceholder(CharSequence text, int start, int end) {
        if (end <= start) {
            return true;
        }
        char first = text.charAt(start);
        if (end - start == 1 && (first == '$' || first == '%') && end < text.length()
                && (text.charAt(end) == '{' || text.charAt(end) == '(')) {
            return true; // "${VAR}" and "$(cmd)", cut at the brace by the pattern
        }
        char last = text.charAt(end - 1);
        if (first == '<' && last == '>' || first == '{' || first == '%' && last == '%' && end - start > 2) {
            return true;
        }
        if (first == '$') {
            return end - start > 1 && (text.charAt(start + 1) == '{' || text.charAt(start + 1) == '('
                    || isIdentifier(text, start + 1, end));
        }
        boolean allStars = true;
        for (int i = start; i < end && allStars; i++) {
            allStars = text.charAt(i) == '*';
        }
        if (allStars) {
            return true;
        }
        for (String word : WORDS) {
            if (end - start == word.length() && equalsIgnoreCase(text, start, word)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isIdentifier(CharSequence text, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static boolean equalsIgnoreCase(CharSequence text, int start, String word) {
        for (int j = 0; j < word.length(); j++) {
            if (Character.toLowerCase(text.charAt(start + j)) != word.charAt(j)) {
                return false;
            }
        }
        return true;
    }
}
