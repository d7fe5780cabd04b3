package dev.aar.core.analysis.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds classes and functions in Python by indentation: a {@code def} or {@code class} line opens
 * a block that ends before the next logical line indented no deeper than it. Blank lines, comment
 * lines, lines inside brackets continued from an earlier line, and triple-quoted string bodies do
 * not count as logical lines.
 */
public final class IndentBlockScanner {

    private static final Pattern DEF = Pattern.compile("^\\s*(?:async\\s+)?def\\s+(\\w+)");
    private static final Pattern CLASS = Pattern.compile("^\\s*class\\s+(\\w+)");

    private record Logical(int line, int indent, String text) {
    }

    private IndentBlockScanner() {
    }

    /** Returns the classes and functions of {@code text}, in the order they start. */
    public static List<CodeBlock> scan(String text) {
        List<Logical> lines = logicalLines(text);
        List<CodeBlock> blocks = new ArrayList<>();
        for (int k = 0; k < lines.size(); k++) {
            Logical head = lines.get(k);
            Matcher def = DEF.matcher(head.text);
            Matcher cls = CLASS.matcher(head.text);
            boolean isDef = def.find();
            if (!isDef && !cls.find()) {
                continue;
            }
            int end = head.line;
            int maxDepth = 0;
            int deepestLine = head.line;
            Deque<Integer> indents = new ArrayDeque<>();
            indents.push(head.indent);
            for (int j = k + 1; j < lines.size() && lines.get(j).indent > head.indent; j++) {
                Logical l = lines.get(j);
                end = l.line;
                while (indents.peek() >= l.indent) {
                    indents.pop();
                }
                indents.push(l.indent);
                int depth = indents.size() - 2; // the def line and the body level do not count
                if (depth > maxDepth) {
                    maxDepth = depth;
                    deepestLine = l.line;
                }
            }
            blocks.add(isDef
                    ? new CodeBlock(CodeBlock.Kind.FUNCTION, def.group(1), head.line, end, maxDepth, deepestLine)
                    : new CodeBlock(CodeBlock.Kind.CLASS, cls.group(1), head.line, end, 0, head.line));
        }
        return blocks;
    }

    private static List<Logical> logicalLines(String text) {
        List<Logical> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        int brackets = 0;
        String openQuote = null;
        for (int i = 0; i < lines.length; i++) {
            String raw = lines[i].replace("\t", "    ");
            String stripped = raw.strip();
            boolean inside = openQuote != null || brackets > 0;
            if (!inside && !stripped.isEmpty() && !stripped.startsWith("#")) {
                out.add(new Logical(i + 1, raw.length() - raw.stripLeading().length(), raw));
            }
            // track triple-quoted strings and open brackets so continuation lines are not logical lines
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
        return out;
    }
}
