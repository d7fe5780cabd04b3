package dev.aar.core.analysis.internal;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds classes and functions in Python by indentation: a {@code def} or {@code class} line opens
 * a block that ends before the next logical line indented no deeper than it. Blank lines, comment
 * lines, lines inside brackets continued from an earlier line, and triple-quoted string bodies do
 * not count as logical lines.
 *
 * <p>One pass, linear in the input: an indentation stack like Python's own tokenizer's, and a stack
 * of open blocks whose deepest nesting is carried up to the enclosing block when one ends.
 */
public final class IndentBlockScanner {

    private static final Pattern DEF = Pattern.compile("^\\s*(?:async\\s+)?def\\s+(\\w+)");
    private static final Pattern CLASS = Pattern.compile("^\\s*class\\s+(\\w+)");

    /** An open block; {@code level} is its line's index in the indentation stack. */
    private static final class Open {
        final CodeBlock.Kind kind;
        final String name;
        final int line;
        final int indent;
        final int level;
        int end;
        /** The largest indentation-stack size seen inside, and the first line that reached it. */
        int maxLevels;
        int maxLevelsLine;

        Open(CodeBlock.Kind kind, String name, int line, int indent, int level) {
            this.kind = kind;
            this.name = name;
            this.line = line;
            this.indent = indent;
            this.level = level;
            this.end = line;
            this.maxLevelsLine = line;
        }

        CodeBlock block() {
            if (kind == CodeBlock.Kind.CLASS) {
                return new CodeBlock(kind, name, line, end, 0, line);
            }
            // the def line and the body level do not count towards nesting
            int depth = Math.max(0, maxLevels - level - 2);
            return new CodeBlock(kind, name, line, end, depth, depth == 0 ? line : maxLevelsLine);
        }
    }

    private IndentBlockScanner() {
    }

    /** Returns the classes and functions of {@code text}, in the order they start. */
    public static List<CodeBlock> scan(String text) {
        return scan(text, Work.unchecked());
    }

    /** Scans like {@link #scan(String)}, reporting its steps to {@code work}. */
    public static List<CodeBlock> scan(String text, Work work) {
        List<Open> started = new ArrayList<>();
        List<Open> open = new ArrayList<>();
        IntStack indents = new IntStack();
        LogicalLines lines = new LogicalLines(text, work);
        while (lines.next()) {
            int indent = lines.indent;
            while (!open.isEmpty() && open.get(open.size() - 1).indent >= indent) {
                Open done = open.remove(open.size() - 1);
                if (!open.isEmpty()) {
                    carry(done, open.get(open.size() - 1));
                }
            }
            while (!indents.isEmpty() && indents.peek() >= indent) {
                indents.pop();
            }
            indents.push(indent);
            if (!open.isEmpty()) {
                Open inner = open.get(open.size() - 1);
                inner.end = lines.line;
                if (indents.size() > inner.maxLevels) {
                    inner.maxLevels = indents.size();
                    inner.maxLevelsLine = lines.line;
                }
            }
            Matcher def = DEF.matcher(work.counted(lines.textOfLine));
            boolean isDef = def.find();
            Matcher cls = isDef ? null : CLASS.matcher(work.counted(lines.textOfLine));
            if (isDef || cls.find()) {
                Open block = new Open(isDef ? CodeBlock.Kind.FUNCTION : CodeBlock.Kind.CLASS,
                        (isDef ? def : cls).group(1), lines.line, indent, indents.size() - 1);
                started.add(block);
                open.add(block);
            }
        }
        while (open.size() > 1) {
            carry(open.remove(open.size() - 1), open.get(open.size() - 1));
        }
        List<CodeBlock> blocks = new ArrayList<>(started.size());
        for (Open o : started) {
            blocks.add(o.block());
        }
        return blocks;
    }

    /** Hands what an ended block saw to the block around it, whose body it was part of. */
    private static void carry(Open done, Open outer) {
        outer.end = Math.max(outer.end, done.end);
        if (done.maxLevels > outer.maxLevels) {
            outer.maxLevels = done.maxLevels; // ties keep the earlier line, as the outer block saw it first
            outer.maxLevelsLine = done.maxLevelsLine;
        }
    }

    /** The logical lines of a Python file, one at a time. */
    private static final class LogicalLines {
        private final String text;
        private final Work work;
        private int from;
        private int number;
        private int brackets;
        private String openQuote;
        int line;
        int indent;
        String textOfLine;

        LogicalLines(String text, Work work) {
            this.text = text;
            this.work = work;
        }

        /** Moves to the next logical line; false at the end of the text. */
        boolean next() {
            while (from <= text.length()) {
                int end = text.indexOf('\n', from);
                if (end < 0) {
                    end = text.length();
                }
                String raw = text.substring(from, end).replace("\t", "    ");
                work.add(2L * (end - from) + 1);
                from = end + 1;
                number++;
                String stripped = raw.strip();
                boolean inside = openQuote != null || brackets > 0;
                boolean logical = !inside && !stripped.isEmpty() && !stripped.startsWith("#");
                if (logical) {
                    line = number;
                    indent = raw.length() - raw.stripLeading().length();
                    textOfLine = raw;
                }
                track(raw);
                if (logical) {
                    return true;
                }
            }
            return false;
        }

        /** Follows triple-quoted strings and open brackets, so continuation lines are not logical lines. */
        private void track(String raw) {
            int k = 0;
            while (k < raw.length()) {
                if (openQuote != null) {
                    int close = raw.indexOf(openQuote, k);
                    if (close < 0) {
                        break;
                    }
                    k = close + 3;
                    openQuote = null;
                    continue;
                }
                char c = raw.charAt(k);
                if (c == '#') {
                    break;
                }
                if ((c == '"' || c == '\'') && raw.startsWith(String.valueOf(c).repeat(3), k)) {
                    openQuote = String.valueOf(c).repeat(3);
                    k += 3;
                } else if (c == '"' || c == '\'') {
                    int close = raw.indexOf(c, k + 1);
                    k = close < 0 ? raw.length() : close + 1;
                } else {
                    if (c == '(' || c == '[' || c == '{') {
                        brackets++;
                    } else if ((c == ')' || c == ']' || c == '}') && brackets > 0) {
                        brackets--;
                    }
                    k++;
                }
            }
        }
    }

    /** A stack of ints without boxing. */
    private static final class IntStack {
        private int[] items = new int[16];
        private int size;

        void push(int v) {
            if (size == items.length) {
                items = java.util.Arrays.copyOf(items, size * 2);
            }
            items[size++] = v;
        }

        int pop() {
            return items[--size];
        }

        int peek() {
            return items[size - 1];
        }

        boolean isEmpty() {
            return size == 0;
        }

        int size() {
            return size;
        }
    }
}
