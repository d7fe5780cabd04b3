package dev.aar.core.analysis.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds classes and functions in brace languages (Java, Kotlin, C#, JavaScript, TypeScript, Go,
 * Rust, C, C++, Scala, Swift, PHP) by matching braces outside strings and comments, and naming
 * each block from the text since the previous {@code ;}, <code>{</code> or <code>}</code> (its header).
 *
 * <p>A heuristic, not a parser: a header with a class keyword and a name is a class; a header
 * ending in a balanced parameter list (optionally followed by a return type or {@code throws}),
 * whose name is not a control keyword, is a function; everything else (control flow, lambdas,
 * initializers) is a plain block that only counts towards nesting.
 */
public final class BraceBlockScanner {

    private static final Pattern CLASS = Pattern.compile(
            "(?:^|\\s)(?:class|interface|enum|record|struct|trait|object|impl|protocol)\\s+(\\w+)");
    private static final Pattern KEYWORD_FUNCTION = Pattern.compile(
            "(?:^|\\s)(?:func|fn|fun|function)\\s*(?:\\([^)]*\\)\\s*)?(\\w+)\\s*[<(]");
    private static final Pattern ARROW_FUNCTION = Pattern.compile(
            "^(?:export\\s+)?(?:const|let|var)\\s+(\\w+)\\s*(?::[^=]*)?=\\s*(?:async\\s*)?(?:function\\b.*|.*=>)$");
    private static final Pattern ANNOTATION = Pattern.compile("@[\\w.]+(?:\\s*\\([^)]*\\))?");
    private static final Pattern AFTER_PARAMETERS = Pattern.compile("[\\w\\s.,<>\\[\\]?:&*'|\\-]*");
    private static final Set<String> CONTROL = Set.of("if", "for", "while", "switch", "catch", "synchronized", "using",
            "lock", "foreach", "return", "new", "else", "do", "try", "when", "fixed", "unchecked", "checked",
            "function", "match", "loop", "guard", "with", "elseif", "unsafe", "await", "yield", "throw", "in");

    private BraceBlockScanner() {
    }

    private enum FrameKind { CLASS, FUNCTION, BLOCK }

    private static final class Frame {
        final FrameKind kind;
        final String name;
        final int line;
        final int depth;
        int maxInner;
        int deepestLine;

        Frame(FrameKind kind, String name, int line, int depth) {
            this.kind = kind;
            this.name = name;
            this.line = line;
            this.depth = depth;
            this.deepestLine = line;
        }
    }

    /** Returns the classes and functions of {@code text}, in the order they end. */
    public static List<CodeBlock> scan(String text) {
        List<CodeBlock> blocks = new ArrayList<>();
        Deque<Frame> stack = new ArrayDeque<>();
        StringBuilder header = new StringBuilder();
        int headerLine = -1;
        int line = 1;
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                header.append(' ');
                i++;
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                line += count(text, i, end);
                i = end;
            } else if (c == '"' || c == '\'' || c == '`') {
                int end = stringEnd(text, i);
                if (end < 0) {
                    header.append(c); // unterminated on its line: a Rust lifetime, an apostrophe in a comment
                    i++;
                } else {
                    line += count(text, i, end);
                    header.append("\"\"");
                    i = end;
                }
            } else if (c == '{') {
                open(header.toString(), headerLine > 0 ? headerLine : line, line, stack);
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

    /** Returns the index after the string starting at {@code start}, or -1 if it does not close. */
    private static int stringEnd(String text, int start) {
        char q = text.charAt(start);
        if (q == '"' && text.startsWith("\"\"\"", start)) {
            int end = text.indexOf("\"\"\"", start + 3);
            return end < 0 ? -1 : end + 3;
        }
        for (int k = start + 1; k < text.length(); k++) {
            char c = text.charAt(k);
            if (c == '\\') {
                k++;
            } else if (c == q) {
                return k + 1;
            } else if (c == '\n' && q != '`') {
                return -1; // only template literals span lines
            }
        }
        return -1;
    }

    private static void open(String rawHeader, int headerLine, int line, Deque<Frame> stack) {
        String h = ANNOTATION.matcher(rawHeader).replaceAll(" ").replaceAll("\\s+", " ").strip();
        FrameKind kind = FrameKind.BLOCK;
        String name = null;
        Matcher m;
        if (!h.startsWith("new ") && (m = CLASS.matcher(h)).find() && !h.contains("=")) {
            kind = FrameKind.CLASS;
            name = m.group(1);
        } else if ((m = ARROW_FUNCTION.matcher(h)).matches() || (m = KEYWORD_FUNCTION.matcher(h)).find()) {
            kind = FrameKind.FUNCTION;
            name = m.group(1);
        } else if (!h.endsWith("->") && !h.endsWith("=>")) {
            name = functionName(h);
            if (name != null) {
                kind = FrameKind.FUNCTION;
            }
        }
        int depth = stack.size();
        for (Frame f : stack) {
            if (f.kind == FrameKind.FUNCTION) {
                int inner = depth - f.depth;
                if (inner > f.maxInner) {
                    f.maxInner = inner;
                    f.deepestLine = line;
                }
            }
        }
        stack.push(new Frame(kind, name, kind == FrameKind.BLOCK ? line : headerLine, depth));
    }

    /** Returns the name of a function whose header is {@code h}, or null if it is not one. */
    private static String functionName(String h) {
        int open = h.indexOf('(');
        int close = h.lastIndexOf(')');
        if (open <= 0 || close < open || !balanced(h) || h.substring(0, open).contains("=")) {
            return null;
        }
        if (!AFTER_PARAMETERS.matcher(h.substring(close + 1)).matches()) {
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
        if (name.isEmpty() || CONTROL.contains(name) || Character.isDigit(name.charAt(0))
                || h.substring(0, start).matches(".*\\bnew\\s*$")) {
            return null;
        }
        return name;
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
        if (f.kind == FrameKind.CLASS) {
            blocks.add(new CodeBlock(CodeBlock.Kind.CLASS, f.name, f.line, line, 0, f.line));
        } else if (f.kind == FrameKind.FUNCTION) {
            blocks.add(new CodeBlock(CodeBlock.Kind.FUNCTION, f.name, f.line, line, f.maxInner, f.deepestLine));
        }
    }
}
