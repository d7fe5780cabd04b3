package dev.aar.core.report.internal;

import dev.aar.core.analysis.ModuleGraph;
import dev.aar.core.event.Finding;
import dev.aar.core.event.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Escaping and grouping shared by the HTML and Markdown renderings. */
public final class Text {

    private Text() {
    }

    /** Returns "N modules, E dependencies, C cycles" for {@code graph}, as the pictures' captions say it. */
    public static String counts(ModuleGraph graph) {
        int cycles = graph.cycles().size();
        return graph.nodes().size() + " modules, " + graph.edges().size() + " dependencies, " + cycles
                + (cycles == 1 ? " cycle" : " cycles");
    }

    /** Escapes {@code s} for HTML text and attribute values; null becomes "". */
    public static String html(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Escapes {@code s} for Markdown inline text: HTML-significant characters become entities (so raw
     * HTML in a finding never renders), Markdown punctuation is backslash-escaped, and line breaks become spaces.
     */
    public static String markdown(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '\n', '\r' -> out.append(' ');
                case '\\', '`', '*', '_', '[', ']', '|', '#', '!', '{', '}' -> out.append('\\').append(c);
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Returns {@code s}, or when longer than {@code max} characters an ellipsis and its end (the
     * distinctive part of a dotted name or path), never splitting a surrogate pair.
     */
    public static String tail(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int from = s.length() - max + 1;
        if (Character.isLowSurrogate(s.charAt(from))) {
            from++;
        }
        return "\u2026" + s.substring(from);
    }

    /**
     * Escapes {@code s} for a quoted Mermaid label: letters, digits and {@code . _ - /} and space stay,
     * every other character becomes a Mermaid entity code ({@code #34;}), so quotes, brackets, pipes,
     * semicolons, backticks, line breaks and HTML cannot end the label, the statement or the code block.
     */
    public static String mermaid(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        s.codePoints().forEach(c -> {
            if (c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-' || c == '/' || c == ' ')) {
                out.appendCodePoint(c);
            } else {
                out.append('#').append(c).append(';');
            }
        });
        return out.toString();
    }

    /** Returns a fence of backticks longer than any run of backticks in {@code s}, at least three. */
    public static String fenceFor(String s) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            run = s.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return "`".repeat(Math.max(3, longest + 1));
    }

    /** Returns "file:line", "file", or "(project)" for a project-wide finding. */
    public static String location(Finding f) {
        if (f.file() == null) {
            return "(project)";
        }
        return f.line() == null ? f.file() : f.file() + ":" + f.line();
    }

    /** Returns a lower-case slug of letters, digits and '-', safe as an HTML id. */
    public static String slug(String s) {
        String slug = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return slug.isEmpty() ? "x" : slug;
    }

    /** Groups findings (already sorted) by severity, then rule, keeping their order. */
    public static Map<Severity, Map<String, List<Finding>>> group(List<Finding> findings) {
        Map<Severity, Map<String, List<Finding>>> out = new LinkedHashMap<>();
        for (Finding f : findings) {
            out.computeIfAbsent(f.severity(), s -> new LinkedHashMap<>())
                    .computeIfAbsent(f.rule(), r -> new ArrayList<>()).add(f);
        }
        return out;
    }
}
