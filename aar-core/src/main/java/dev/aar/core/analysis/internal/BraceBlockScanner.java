package dev.aar.core.analysis.internal;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Finds classes and functions in brace languages (Java, Kotlin, C#, JavaScript, TypeScript, Go,
 * Rust, C, C++, Scala, Swift, PHP) by matching braces outside strings and comments, and naming
 * each block from the text since the previous {@code ;}, <code>{</code> or <code>}</code> (its header).
 *
 * <p>A heuristic, not a parser: a header with a class keyword and a name is a class; a header
 * ending in a balanced parameter list (optionally followed by a return type or {@code throws}),
 * whose name is not a control keyword, is a function; everything else (control flow, lambdas,
 * initializers) is a plain block that only counts towards nesting.
 *
 * <p>Linear in the input, whatever it holds: every character is looked at a bounded number of
 * times (an unclosed string or comment is searched for its end once, not once per opener), the
 * header is normalised by hand and matched with RE2/J, and nesting is carried up on close instead
 * of being written into every enclosing block on open.
 */
public final class BraceBlockScanner {

    private static final Pattern CLASS = Pattern.compile(
            "(?:^|\\s)(?:class|interface|enum|record|struct|trait|object|impl|protocol)\\s+(\\w+)");
    private static final Pattern KEYWORD_FUNCTION = Pattern.compile(
            "(?:^|\\s)(?:func|fn|fun|function)\\s*(?:\\([^)]*\\)\\s*)?(\\w+)\\s*[<(]");
    private static final Pattern ARROW_FUNCTION = Pattern.compile(
            "^(?:export\\s+)?(?:const|let|var)\\s+(\\w+)\\s*(?::[^=]*)?=\\s*(?:async\\s*)?(?:function\\b.*|.*=>)$");
    private static final Set<String> CONTROL = Set.of("if", "for", "while", "switch", "catch", "synchronized", "using",
            "lock", "foreach", "return", "new", "else", "do", "try", "when", "fixed", "unchecked", "checked",
            "function", "match", "loop", "guard", "with", "elseif", "unsafe", "await", "yield", "throw", "in");
    /** Passes over a normalised header besides the RE2/J matches (whose reads are counted one by one). */
    private static final int HEADER_PASSES = 24;

    private BraceBlockScanner() {
    }

    private enum FrameKind { CLASS, FUNCTION, BLOCK }

    private static final class Frame {
        final FrameKind kind;
        final String name;
        final int line;
        final int depth;
        /** The deepest depth opened inside this frame (its own at first), and the line that first reached it. */
        int maxDepth;
        int maxDepthLine;

        Frame(FrameKind kind, String name, int line, int depth, int openLine) {
            this.kind = kind;
            this.name = name;
            this.line = line;
            this.depth = depth;
            this.maxDepth = depth;
            this.maxDepthLine = openLine;
        }
    }

    /** Returns the classes and functions of {@code text}, in the order they end. */
    public static List<CodeBlock> scan(String text) {
        return scan(text, Work.unchecked());
    }

    /** Scans like {@link #scan(String)}, reporting its steps to {@code work}. */
    public static List<CodeBlock> scan(String text, Work work) {
        List<CodeBlock> blocks = new ArrayList<>();
        Deque<Frame> stack = new ArrayDeque<>();
        StringBuilder header = new StringBuilder();
        Strings strings = new Strings(text);
        int headerLine = -1;
        int line = 1;
        int n = text.length();
        int i = 0;
        while (i < n) {
            work.add(1);
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                header.append(' ');
                i++;
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
                int end = text.indexOf('\n', i);
                end = end < 0 ? n : end;
                work.add(end - i);
                i = end;
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                work.add(2L * (end - i));
                line += count(text, i, end);
                i = end;
            } else if (c == '"' || c == '\'' || c == '`') {
                int end = strings.end(i, work);
                if (end < 0) {
                    header.append(c); // unterminated on its line: a Rust lifetime, an apostrophe in a comment
                    i++;
                } else {
                    work.add(end - i);
                    line += count(text, i, end);
                    header.append("\"\"");
                    i = end;
                }
            } else if (c == '{') {
                open(header, headerLine > 0 ? headerLine : line, line, stack, work);
                header.setLength(0);
                headerLine = -1;
                i++;
            } else if (c == '}') {
                close(line, stack, blocks);
                header.setLength(0);
                headerLine = -1;
                i++;
            } else if (c == ';') {
                header.setLength(0);
                headerLine = -1;
                i++;
            } else {
                if (headerLine < 0 && !Character.isWhitespace(c)) {
                    headerLine = line;
                }
                header.append(c);
                i++;
            }
        }
        return blocks;
    }

    private static int count(String text, int from, int to) {
        int lines = 0;
        for (int k = from; k < to; k++) {
            if (text.charAt(k) == '\n') {
                lines++;
            }
        }
        return lines;
    }

    /**
     * Finds where strings end, remembering how far a search for a closing quote came up empty: a
     * later opener of the same quote inside that stretch was escaped in the earlier search, so
     * searching again from it would walk the same characters to the same dead end.
     */
    private static final class Strings {
        private final String text;
        /** Per quote ({@code " ' `}): openers before this index are known not to close. */
        private final int[] unclosedBefore = new int[3];
        /** A {@code """} opener at or after this index is known not to close. */
        private int noTripleFrom = Integer.MAX_VALUE;

        Strings(String text) {
            this.text = text;
        }

        /** Returns the index after the string starting at {@code start}, or -1 if it does not close. */
        int end(int start, Work work) {
            char q = text.charAt(start);
            if (q == '"' && text.startsWith("\"\"\"", start)) {
                if (start >= noTripleFrom) {
                    return -1;
                }
                int end = text.indexOf("\"\"\"", start + 3);
                if (end < 0) {
                    work.add(text.length() - start);
                    noTripleFrom = start;
                    return -1;
                }
                return end + 3;
            }
            int slot = q == '"' ? 0 : q == '\'' ? 1 : 2;
            if (start < unclosedBefore[slot]) {
                return -1;
            }
            int k = start + 1;
            for (; k < text.length(); k++) {
                char c = text.charAt(k);
                if (c == '\\') {
                    k++;
                } else if (c == q) {
                    return k + 1;
                } else if (c == '\n' && q != '`') {
                    break; // only template literals span lines
                }
            }
            work.add(k - start);
            unclosedBefore[slot] = Math.min(k, text.length());
            return -1;
        }
    }

    private static void open(StringBuilder rawHeader, int headerLine, int line, Deque<Frame> stack, Work work) {
        String h = normalise(work.counted(rawHeader));
        work.add((long) HEADER_PASSES * h.length());
        CharSequence counted = work.counted(h);
        FrameKind kind = FrameKind.BLOCK;
        String name = null;
        Matcher m;
        // each match only where its keywords occur: the checks are exact preconditions, and cheaper than RE2/J
        if (!h.startsWith("new ") && !h.contains("=") && mentionsClassKeyword(h)
                && (m = CLASS.matcher(counted)).find()) {
            kind = FrameKind.CLASS;
            name = m.group(1);
        } else if ((mayBeArrowFunction(h) && (m = ARROW_FUNCTION.matcher(counted)).matches())
                || ((h.contains("fn") || h.contains("fun")) && (m = KEYWORD_FUNCTION.matcher(counted)).find())) {
            kind = FrameKind.FUNCTION;
            name = m.group(1);
        } else if (!h.endsWith("->") && !h.endsWith("=>")) {
            name = functionName(h);
            if (name != null) {
                kind = FrameKind.FUNCTION;
            }
        }
        stack.push(new Frame(kind, name, kind == FrameKind.BLOCK ? line : headerLine, stack.size(), line));
    }

    private static final List<String> CLASS_KEYWORDS = List.of("class", "interface", "enum", "record", "struct",
            "trait", "object", "impl", "protocol");

    private static boolean mentionsClassKeyword(String h) {
        for (String k : CLASS_KEYWORDS) {
            if (h.contains(k)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code h} starts as {@link #ARROW_FUNCTION} requires: a declaration keyword, and has an '='. */
    private static boolean mayBeArrowFunction(String h) {
        return (h.startsWith("export") || h.startsWith("const") || h.startsWith("let") || h.startsWith("var"))
                && h.indexOf('=') >= 0;
    }

    /**
     * Drops annotations ({@code @Name} and {@code @Name(...)}), collapses whitespace runs to one
     * space and strips the ends: what {@code replaceAll("@[\\w.]+(?:\\s*\\([^)]*\\))?", " ")
     * .replaceAll("\\s+", " ").strip()} did, in one pass (that regex rescanned the rest of the
     * header at every annotation whose parenthesis never closed).
     */
    static String normalise(CharSequence h) {
        int n = h.length();
        StringBuilder out = new StringBuilder(n);
        int noCloseFrom = Integer.MAX_VALUE; // no ')' at or after this index
        int i = 0;
        while (i < n) {
            char c = h.charAt(i);
            if (c == '@' && i + 1 < n && isWordOrDot(h.charAt(i + 1))) {
                int j = i + 1;
                while (j < n && isWordOrDot(h.charAt(j))) {
                    j++;
                }
                int k = j;
                while (k < n && isSpace(h.charAt(k))) {
                    k++;
                }
                if (k < n && h.charAt(k) == '(' && k + 1 < noCloseFrom) {
                    int close = indexOf(h, ')', k + 1);
                    if (close < 0) {
                        noCloseFrom = k + 1;
                    } else {
                        j = close + 1;
                    }
                }
                appendSpace(out);
                i = j;
            } else if (isSpace(c)) {
                appendSpace(out);
                i++;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString().strip();
    }

    private static void appendSpace(StringBuilder out) {
        if (out.length() == 0 || out.charAt(out.length() - 1) != ' ') {
            out.append(' ');
        }
    }

    private static int indexOf(CharSequence s, char c, int from) {
        for (int k = from; k < s.length(); k++) {
            if (s.charAt(k) == c) {
                return k;
            }
        }
        return -1;
    }

    private static boolean isWordOrDot(char c) {
        return c == '.' || isWord(c);
    }

    /** {@code \w} of java.util.regex and RE2/J: ASCII letters, digits and '_'. */
    private static boolean isWord(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    /** {@code \s} of java.util.regex. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    /** Returns the name of a function whose header is {@code h}, or null if it is not one. */
    private static String functionName(String h) {
        int open = h.indexOf('(');
        int close = h.lastIndexOf(')');
        if (open <= 0 || close < open || !balanced(h) || h.substring(0, open).contains("=")) {
            return null;
        }
        if (!isAfterParameters(h, close + 1)) {
            return null;
        }
        int end = open;
        while (end > 0 && h.charAt(end - 1) == ' ') {
            end--;
        }
        int start = end;
        while (start > 0 && (Character.isJavaIdentifierPart(h.charAt(start - 1)))) {
            start--;
        }
        String name = h.substring(start, end);
        if (name.isEmpty() || CONTROL.contains(name) || Character.isDigit(name.charAt(0)) || followsNew(h, start)) {
            return null;
        }
        return name;
    }

    /** Whether {@code h} from {@code from} is a return type or throws clause: {@code [\w\s.,<>\[\]?:&*'|\-]*}. */
    private static boolean isAfterParameters(String h, int from) {
        for (int k = from; k < h.length(); k++) {
            char c = h.charAt(k);
            if (!isWord(c) && !isSpace(c) && ".,<>[]?:&*'|-".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code h} before {@code end} ends with the word {@code new} and optional spaces ({@code .*\bnew\s*$}). */
    private static boolean followsNew(String h, int end) {
        int k = end;
        while (k > 0 && isSpace(h.charAt(k - 1))) {
            k--;
        }
        if (k < 3 || !h.startsWith("new", k - 3)) {
            return false;
        }
        return k == 3 || !isRegexWordChar(h.charAt(k - 4));
    }

    /** A word character as java.util.regex's {@code \b} sees it. */
    private static boolean isRegexWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private static boolean balanced(String h) {
        int depth = 0;
        for (int k = 0; k < h.length(); k++) {
            char c = h.charAt(k);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth < 0) {
                return false;
            }
        }
        return depth == 0;
    }

    private static void close(int line, Deque<Frame> stack, List<CodeBlock> blocks) {
        if (stack.isEmpty()) {
            return; // unbalanced source: ignore the stray brace
        }
        Frame f = stack.pop();
        Frame parent = stack.peek();
        if (parent != null && f.maxDepth > parent.maxDepth) {
            // ties keep the parent's line: the first block to reach a depth is the one reported
            parent.maxDepth = f.maxDepth;
            parent.maxDepthLine = f.maxDepthLine;
        }
        if (f.kind == FrameKind.CLASS) {
            blocks.add(new CodeBlock(CodeBlock.Kind.CLASS, f.name, f.line, line, 0, f.line));
        } else if (f.kind == FrameKind.FUNCTION) {
            int nesting = f.maxDepth - f.depth;
            blocks.add(new CodeBlock(CodeBlock.Kind.FUNCTION, f.name, f.line, line, nesting,
                    nesting == 0 ? f.line : f.maxDepthLine));
        }
    }
}
