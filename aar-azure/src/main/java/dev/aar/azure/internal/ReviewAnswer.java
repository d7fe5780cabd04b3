package dev.aar.azure.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aar.core.event.Finding;
import dev.aar.core.event.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the model's JSON answer into findings, trusting nothing in it: unknown severities become
 * Info, files not in the project are dropped (with their line), rules are normalised and prefixed,
 * texts are bounded, and an answer that is not the expected JSON becomes one Info finding.
 */
public final class ReviewAnswer {

    /** Prefix of every rule the reviewer emits. */
    public static final String RULE_PREFIX = "llm-";
    public static final String SUMMARY_RULE = "llm-summary";
    public static final String UNPARSABLE_RULE = "llm-review-unparsable";
    static final int MAX_TEXT = 4_000;
    private static final int MAX_RULE = 60;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReviewAnswer() {
    }

    /**
     * Parses {@code content}.
     *
     * @param content the model's message content (may be null)
     * @param truncated whether the model stopped at its token limit
     * @param files the project's file paths; a finding naming another file loses its file and line
     * @param maxFindings findings beyond this many are dropped
     * @param evidence the summary finding's evidence (model and token counts)
     * @return the summary finding (if any) first, then the findings in the model's order
     */
    public static List<Finding> parse(String content, boolean truncated, Set<String> files, int maxFindings, String evidence) {
        Optional<JsonNode> root = json(content);
        if (root.isEmpty() || !root.get().isObject()) {
            String why = content == null || content.isBlank() ? "the answer was empty"
                    : truncated ? "the answer was cut off at the token limit (raise LlmReview.MaxAnswerTokens)"
                    : "the answer was not the expected JSON object";
            return List.of(new Finding(Severity.INFO, UNPARSABLE_RULE,
                    "The LLM architecture review could not be parsed: " + why + ".", null, null, excerpt(content)));
        }
        List<Finding> out = new ArrayList<>();
        String summary = text(root.get().get("summary"));
        if (summary != null) {
            out.add(new Finding(Severity.INFO, SUMMARY_RULE, summary, null, null, evidence));
        }
        JsonNode findings = root.get().get("findings");
        if (findings != null && findings.isArray()) {
            for (JsonNode f : findings) {
                if (out.size() - (summary == null ? 0 : 1) >= maxFindings) {
                    break;
                }
                finding(f, files).ifPresent(out::add);
            }
        }
        if (out.isEmpty()) {
            return List.of(new Finding(Severity.INFO, UNPARSABLE_RULE,
                    "The LLM architecture review could not be parsed: the answer had neither a summary nor findings.",
                    null, null, excerpt(content)));
        }
        return out;
    }

    private static Optional<Finding> finding(JsonNode f, Set<String> files) {
        if (!f.isObject()) {
            return Optional.empty();
        }
        String description = text(f.get("description"));
        if (description == null) {
            return Optional.empty();
        }
        String file = path(text(f.get("file")), files);
        Integer line = file == null ? null : line(f.get("line"));
        return Optional.of(new Finding(severity(text(f.get("severity"))), rule(text(f.get("rule"))), description,
                file, line, null));
    }

    private static Integer line(JsonNode l) {
        if (l == null) {
            return null;
        }
        if (l.isIntegralNumber() && l.canConvertToInt()) {
            return l.intValue() >= 1 ? l.intValue() : null;
        }
        if (l.isTextual()) {
            try {
                int n = Integer.parseInt(l.textValue().trim());
                return n >= 1 ? n : null;
            } catch (NumberFormatException e) {
                return null; // a line that is not a number is dropped, the finding kept
            }
        }
        return null;
    }

    static Severity severity(String s) {
        if (s != null) {
            for (Severity v : Severity.values()) {
                if (v.displayName().equalsIgnoreCase(s.trim()) || v.name().equalsIgnoreCase(s.trim())) {
                    return v;
                }
            }
        }
        return Severity.INFO;
    }

    static String rule(String s) {
        String r = s == null ? "" : s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (r.startsWith(RULE_PREFIX)) {
            r = r.substring(RULE_PREFIX.length());
        }
        if (r.isEmpty()) {
            r = "review";
        }
        return RULE_PREFIX + (r.length() > MAX_RULE ? r.substring(0, MAX_RULE).replaceAll("-+$", "") : r);
    }

    /** Accepts the path as listed, or with a leading "./" or "/" or backslashes; anything else is not a project file. */
    static String path(String s, Set<String> files) {
        if (s == null) {
            return null;
        }
        String p = s.trim().replace('\\', '/');
        while (p.startsWith("./") || p.startsWith("/")) {
            p = p.substring(p.startsWith("./") ? 2 : 1);
        }
        return files.contains(p) ? p : null;
    }

    private static String text(JsonNode n) {
        if (n == null || !n.isTextual() || n.textValue().isBlank()) {
            return null;
        }
        String t = n.textValue().strip();
        return t.length() > MAX_TEXT ? t.substring(0, MAX_TEXT) + "…" : t;
    }

    private static Optional<JsonNode> json(String content) {
        if (content == null) {
            return Optional.empty();
        }
        String c = content.strip();
        // without response_format some models wrap the JSON in a Markdown fence
        if (c.startsWith("```")) {
            int start = c.indexOf('\n');
            int end = c.lastIndexOf("```");
            c = start >= 0 && end > start ? c.substring(start + 1, end) : c;
        }
        try {
            return Optional.ofNullable(JSON.readTree(c));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static String excerpt(String content) {
        if (content == null || content.isBlank()) {
            return null;
        }
        String c = content.strip();
        return c.length() > 200 ? c.substring(0, 200) + "…" : c;
    }
}
