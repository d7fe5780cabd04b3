package dev.aar.core.index;

import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.IntArrayList;
import dev.aar.core.config.EmbeddingProcessing;
import dev.aar.core.internal.Digests;
import dev.aar.core.tokens.Tokenizers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a file into token-accurate, code-aware, overlapping chunks.
 *
 * <p>Guarantees, for every file: each chunk re-encodes to at most {@code maxTokens} tokens; chunk
 * boundaries fall on token boundaries of the whole file's encoding and never inside a character;
 * consecutive chunks overlap by at most {@code overlapTokens} tokens and never leave a gap, so every
 * character is in some chunk; start offsets and lines never decrease.
 *
 * <p>Where a chunk ends is chosen among the token boundaries in the second half of its window, best
 * first: after a blank line; before a declaration or comment, or after a line closing a brace;
 * any line start; mid-line at whitespace; any token boundary. The latest boundary of the best kind
 * found wins. The overlap starts at the earliest line start within the last {@code overlapTokens}
 * tokens, so it holds whole lines when it can. Special tokens such as {@code <|endoftext|>} are
 * counted as ordinary text. Thread-safe.
 */
public final class Chunker {

    private static final int BLANK_LINE = 4;
    private static final int DECLARATION = 3;
    private static final int LINE = 2;
    private static final int WHITESPACE = 1;
    private static final int TOKEN = 0;

    private static final String[] DECLARATION_STARTS = {
        "public ", "private ", "protected ", "static ", "final ", "abstract ", "class ", "interface ", "enum ",
        "record ", "@", "/**", "/*", "//", "#", "def ", "async ", "fn ", "pub ", "func ", "function ", "export ",
        "impl ", "struct ", "type ", "package ", "import ", "module ", "namespace ", "internal ", "override ",
    };

    private final Encoding encoding;
    private final int maxTokens;
    private final int overlapTokens;
    /** Byte length of each token id, filled lazily (benign races: every writer writes the same value). */
    private final int[] tokenBytes = new int[1 << 18];
    /** Whether {@link #pieceBoundary} holds for this encoding's pre-tokenizer, so aligned chunks need no re-count. */
    private final boolean alignedEdges;

    /**
     * @param encoding the tokenizer
     * @param maxTokens most tokens per chunk (at least 16)
     * @param overlapTokens most tokens shared by consecutive chunks (0 to half of {@code maxTokens})
     */
    public Chunker(Encoding encoding, int maxTokens, int overlapTokens) {
        this.encoding = java.util.Objects.requireNonNull(encoding, "encoding");
        if (maxTokens < 16) {
            throw new IllegalArgumentException("maxTokens = " + maxTokens + " is out of range; allowed: >= 16");
        }
        if (overlapTokens < 0 || overlapTokens > maxTokens / 2) {
            throw new IllegalArgumentException("overlapTokens = " + overlapTokens + " is out of range; allowed: 0.."
                    + maxTokens / 2 + " (half of maxTokens)");
        }
        this.maxTokens = maxTokens;
        this.overlapTokens = overlapTokens;
        this.alignedEdges = "cl100k_base".equals(encoding.getName());
    }

    /** Returns a chunker with the section's encoding, {@code MaxChunkSizeTokens} and {@code OverlapTokens}. */
    public static Chunker of(EmbeddingProcessing settings) {
        return new Chunker(Tokenizers.encoding(settings.tokenEncoding()), settings.maxChunkSizeTokens(),
                settings.overlapTokens());
    }

    public int maxTokens() {
        return maxTokens;
    }

    public int overlapTokens() {
        return overlapTokens;
    }

    /** Returns the chunks of {@code file}, in order; none for an empty file. */
    public List<Chunk> chunk(SourceFile file) {
        return chunk(file.path(), file.text());
    }

    /** Returns the chunks of the file {@code path} whose content is {@code text}, in order; none if it is empty. */
    public List<Chunk> chunk(String path, String text) {
        List<Chunk> chunks = new ArrayList<>();
        if (text.isEmpty()) {
            return chunks;
        }
        IntArrayList ids = encoding.encodeOrdinary(text);
        int n = ids.size();
        int[] at = boundaries(text, ids);
        Lines lines = new Lines(text);
        int minTokens = Math.min(maxTokens, Math.max(overlapTokens + 1, maxTokens / 2));
        int s = 0;
        while (true) {
            int limit = Math.min(n, s + maxTokens);
            int e = limit == n ? n : bestCut(text, lines, at, s + minTokens, limit, s);
            String piece = text.substring(at[s], at[e]);
            int tokens = alignedEdges && pieceBoundary(text, at[s]) && pieceBoundary(text, at[e])
                    ? e - s
                    : encoding.countTokensOrdinary(piece);
            while (tokens > maxTokens) {
                // re-encoding alone can merge differently at the edges; step back until it fits
                e = previousBoundary(at, e, s);
                piece = text.substring(at[s], at[e]);
                tokens = encoding.countTokensOrdinary(piece);
            }
            chunks.add(new Chunk(path, chunks.size(), lines.lineOf(at[s]), lines.lineOf(at[e] - 1), at[s], at[e], piece,
                    tokens, sha256(piece)));
            if (e == n) {
                return chunks;
            }
            s = overlapStart(text, at, s, e);
        }
    }

    /**
     * True where cl100k_base's pre-tokenizer always splits, so that a chunk whose both edges are such
     * places re-encodes to exactly the whole file's tokens between them (re-counting a chunk costs as
     * much as encoding it). Its pattern ({@code …| ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+})
     * ends a piece at the last newline of a whitespace run, and has no look-behind: so the start of
     * the text, its end, and a place right after a newline followed by spaces or tabs and then a
     * printable ASCII character qualify. Anything else (a blank line below, other whitespace,
     * non-ASCII text) does not, and the chunk is re-counted.
     */
    static boolean pieceBoundary(String text, int c) {
        if (c == 0 || c == text.length()) {
            return true;
        }
        if (text.charAt(c - 1) != '\n') {
            return false;
        }
        for (int i = c; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch != ' ' && ch != '\t') {
                return ch > ' ' && ch < 0x7f;
            }
        }
        return false;
    }

    /** Returns, for each token boundary 0..n, its char offset, or -1 where it falls inside a character. */
    private int[] boundaries(String text, IntArrayList ids) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int n = ids.size();
        int[] at = new int[n + 1];
        int bytePos = 0;
        int charPos = 0;
        int target = 0;
        IntArrayList one = new IntArrayList(1);
        for (int k = 0; k < n; k++) {
            target += byteLength(ids.get(k), one);
            while (bytePos < utf8.length) {
                int len = sequenceLength(utf8[bytePos]);
                if (bytePos + len > target) {
                    break;
                }
                bytePos += len;
                charPos += len == 4 ? 2 : 1;
            }
            at[k + 1] = bytePos == target ? charPos : -1;
        }
        if (target != utf8.length || charPos != text.length()) {
            throw new IllegalStateException("token byte lengths (" + target + ") do not add up to the text's UTF-8 length ("
                    + utf8.length + ")");
        }
        return at;
    }

    private int byteLength(int id, IntArrayList one) {
        if (id >= 0 && id < tokenBytes.length && tokenBytes[id] != 0) {
            return tokenBytes[id];
        }
        one.clear();
        one.add(id);
        int len = encoding.decodeBytes(one).length;
        if (id >= 0 && id < tokenBytes.length) {
            tokenBytes[id] = len;
        }
        return len;
    }

    private static int sequenceLength(byte lead) {
        if ((lead & 0x80) == 0) {
            return 1;
        }
        if ((lead & 0xE0) == 0xC0) {
            return 2;
        }
        if ((lead & 0xF0) == 0xE0) {
            return 3;
        }
        return 4;
    }

    /** Picks the end of a chunk starting at token {@code s}: the best boundary in [lo, limit], latest first. */
    private int bestCut(String text, Lines lines, int[] at, int lo, int limit, int s) {
        int[] latest = {-1, -1, -1, -1, -1};
        for (int k = limit; k >= lo && k > s; k--) {
            if (at[k] < 0) {
                continue;
            }
            int tier = tier(text, lines, at[k]);
            if (latest[tier] < 0) {
                latest[tier] = k;
                if (tier == BLANK_LINE) {
                    break;
                }
            }
        }
        for (int tier = BLANK_LINE; tier >= TOKEN; tier--) {
            if (latest[tier] > 0) {
                return latest[tier];
            }
        }
        int k = previousBoundary(at, limit + 1, s); // nothing in the upper half: take the latest boundary at all
        return k;
    }

    private static int previousBoundary(int[] at, int e, int s) {
        for (int k = e - 1; k > s; k--) {
            if (at[k] >= 0) {
                return k;
            }
        }
        throw new IllegalStateException("no token boundary between tokens " + s + " and " + e);
    }

    /** Where the next chunk starts: the earliest line start in the last overlapTokens tokens, else exactly that far back. */
    private int overlapStart(String text, int[] at, int s, int e) {
        int lo = Math.max(s + 1, e - overlapTokens);
        int firstValid = -1;
        for (int k = lo; k < e; k++) {
            if (at[k] < 0) {
                continue;
            }
            if (at[k] == 0 || text.charAt(at[k] - 1) == '\n') {
                return k;
            }
            if (firstValid < 0) {
                firstValid = k;
            }
        }
        return firstValid >= 0 ? firstValid : e;
    }

    private static int tier(String text, Lines lines, int c) {
        if (c == 0 || text.charAt(c - 1) == '\n') {
            int line = lines.indexOf(c); // 0-based line starting at c
            if (line > 0 && lines.isBlank(line - 1)) {
                return BLANK_LINE;
            }
            if ((line > 0 && lines.closesBrace(line - 1)) || startsDeclaration(text, c)) {
                return DECLARATION;
            }
            return LINE;
        }
        if (Character.isWhitespace(text.charAt(c)) || Character.isWhitespace(text.charAt(c - 1))) {
            return WHITESPACE;
        }
        return TOKEN;
    }

    private static boolean startsDeclaration(String text, int lineStart) {
        int i = lineStart;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        for (String start : DECLARATION_STARTS) {
            if (text.startsWith(start, i)) {
                return true;
            }
        }
        return false;
    }

    static String sha256(String text) {
        return Digests.sha256Hex(text);
    }

    /** Line starts of one text, and what each line looks like. */
    private static final class Lines {
        private final String text;
        private final int[] starts;
        private final int count;

        Lines(String text) {
            this.text = text;
            int[] s = new int[64];
            int c = 0;
            s[c++] = 0;
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '\n' && i + 1 < text.length()) {
                    if (c == s.length) {
                        s = java.util.Arrays.copyOf(s, c * 2);
                    }
                    s[c++] = i + 1;
                }
            }
            this.starts = s;
            this.count = c;
        }

        /** Returns the 0-based index of the line holding char {@code offset}. */
        int indexOf(int offset) {
            int i = java.util.Arrays.binarySearch(starts, 0, count, offset);
            return i >= 0 ? i : -i - 2;
        }

        /** Returns the 1-based number of the line holding char {@code offset}. */
        int lineOf(int offset) {
            return indexOf(offset) + 1;
        }

        private int end(int line) {
            return line + 1 < count ? starts[line + 1] : text.length();
        }

        boolean isBlank(int line) {
            for (int i = starts[line]; i < end(line); i++) {
                if (!Character.isWhitespace(text.charAt(i))) {
                    return false;
                }
            }
            return true;
        }

        boolean closesBrace(int line) {
            for (int i = end(line) - 1; i >= starts[line]; i--) {
                char ch = text.charAt(i);
                if (!Character.isWhitespace(ch) && ch != ';' && ch != ')' && ch != ',') {
                    return ch == '}';
                }
            }
            return false;
        }
    }
}
