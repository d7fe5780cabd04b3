package dev.aar.core.embedding;

import java.util.Locale;
import java.util.Set;

/**
 * Turns text into a signed feature-hashed vector: identifier sub-tokens (camelCase, snake_case,
 * digits split off, lowercased), whole multi-part identifiers, and character trigrams of each
 * sub-token. Package-private: the weighting may change with the model version.
 */
final class CodeFeatures {

    private static final float WORD = 1.0f;
    private static final float IDENTIFIER = 0.7f;
    private static final float TRIGRAM = 0.25f;
    private static final float COMMON = 0.1f;

    /** Keywords and filler words that occur everywhere and say little about what code does. */
    private static final Set<String> COMMON_WORDS = Set.of(
            "public", "private", "protected", "static", "final", "void", "int", "long", "boolean", "return",
            "if", "else", "for", "while", "do", "new", "class", "interface", "import", "package", "this", "null",
            "true", "false", "var", "let", "const", "def", "function", "fn", "func", "self", "the", "an", "of",
            "to", "in", "and", "or", "is", "it", "be", "throws", "throw", "try", "catch", "extends", "implements",
            "override", "string", "java", "util", "lang", "get", "set", "param", "returns");

    private final int dimensions;

    CodeFeatures(int dimensions) {
        this.dimensions = dimensions;
    }

    float[] vector(String text) {
        float[] v = new float[dimensions];
        int n = text.length();
        int i = 0;
        StringBuilder whole = new StringBuilder();
        while (i < n) {
            char c = text.charAt(i);
            if (!Character.isLetterOrDigit(c)) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_' || text.charAt(i) == '$')) {
                i++;
            }
            identifier(text, start, i, v, whole);
        }
        // dampen repeated features (sublinear term frequency), then L2-normalise
        double norm = 0;
        for (int d = 0; d < dimensions; d++) {
            float x = v[d];
            float damped = (float) Math.copySign(Math.log1p(Math.abs(x)), x);
            v[d] = damped;
            norm += (double) damped * damped;
        }
        if (norm > 0) {
            float inv = (float) (1 / Math.sqrt(norm));
            for (int d = 0; d < dimensions; d++) {
                v[d] *= inv;
            }
        }
        return v;
    }

    /** Adds the features of the identifier text[from, to). */
    private void identifier(String text, int from, int to, float[] v, StringBuilder whole) {
        whole.setLength(0);
        int parts = 0;
        int i = from;
        while (i < to) {
            char c = text.charAt(i);
            if (c == '_' || c == '$') {
                i++;
                continue;
            }
            int start = i;
            i++;
            if (Character.isDigit(c)) {
                while (i < to && Character.isDigit(text.charAt(i))) {
                    i++;
                }
            } else if (Character.isUpperCase(c)) {
                if (i < to && Character.isUpperCase(text.charAt(i))) {
                    // an acronym: "HTTPServer" -> "HTTP" + "Server"
                    while (i < to && Character.isUpperCase(text.charAt(i))
                            && !(i + 1 < to && Character.isLowerCase(text.charAt(i + 1)))) {
                        i++;
                    }
                } else {
                    while (i < to && isLowerLetter(text.charAt(i))) {
                        i++;
                    }
                }
            } else {
                while (i < to && isLowerLetter(text.charAt(i))) {
                    i++;
                }
            }
            String word = text.substring(start, i).toLowerCase(Locale.ROOT);
            if (word.length() < 2 || Character.isDigit(word.charAt(0))) {
                continue;
            }
            parts++;
            whole.append(word);
            word(word, v);
        }
        if (parts > 1) {
            add(v, hash(whole, 0, whole.length(), 0x9E3779B97F4A7C15L), IDENTIFIER);
        }
    }

    private static boolean isLowerLetter(char c) {
        return Character.isLetter(c) && !Character.isUpperCase(c);
    }

    private void word(String word, float[] v) {
        boolean common = COMMON_WORDS.contains(word);
        add(v, hash(word, 0, word.length(), 0x2545F4914F6CDD1DL), common ? COMMON : WORD);
        if (common) {
            return;
        }
        // trigrams of "^word$" let "parse" meet "parser" and "parsing"
        String marked = "^" + word + "$";
        for (int k = 0; k + 3 <= marked.length(); k++) {
            add(v, hash(marked, k, k + 3, 0xBF58476D1CE4E5B9L), TRIGRAM);
        }
    }

    private void add(float[] v, long h, float weight) {
        int index = (int) Long.remainderUnsigned(h >>> 1, dimensions);
        v[index] += (h & 1) == 0 ? weight : -weight; // signed hashing: collisions cancel instead of pile up
    }

    /** FNV-1a over the chars, then a murmur finaliser so neighbouring strings spread over all dimensions. */
    private static long hash(CharSequence s, int from, int to, long seed) {
        long h = 0xcbf29ce484222325L ^ seed;
        for (int i = from; i < to; i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
