package dev.aar.core.redact;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The secret shapes found by regular expressions, each masking some of its groups. RE2/J runs in time
 * linear in the text; every repetition either is a single character class that ends where the class
 * ends or has a small bound, so a search never reads far past the match it returns.
 */
final class SecretPatterns {

    private static final String NAMES = "password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|"
            + "client[_-]?secret|credentials?|connection[_-]?string";

    /**
     * One shape: where it may occur ({@code hints}, lower-case; the text must contain one), and which
     * groups are masked. A group masked only when it is not a placeholder is listed in {@code unlessPlaceholder}.
     */
    private record Shape(Pattern pattern, List<String> hints, int[] masked, boolean unlessPlaceholder) {
        static Shape of(String regex, List<String> hints, int... masked) {
            return new Shape(Pattern.compile(regex), hints, masked, false);
        }

        static Shape value(String regex, List<String> hints, int... masked) {
            return new Shape(Pattern.compile(regex), hints, masked, true);
        }
    }

    private static final List<String> NAME_HINTS = List.of("pass", "pwd", "secret", "key", "token", "credential",
            "connection");

    private static final List<Shape> SHAPES = List.of(
            // credentials in a URL: https://user:password@host keeps the user, hides the password
            Shape.of("://[^\\s/?#@:'\"<>\\\\]+:([^\\s/?#'\"<>\\\\]+)@", List.of("://"), 1),
            // a token used as the whole user part: https://ghp_...@github.com
            Shape.of("://([^\\s/?#@:'\"<>\\\\]{16,})@", List.of("://"), 1),
            // connection strings and query parameters: Password=...; AccountKey=...; ?sig=...
            Shape.of("(?i)(?:^|[;&?\\s\"',{(])[ \\t]*(?:password|passwd|pwd|accountkey|sharedaccesskey|sig|"
                    + "client_secret|access_token|refresh_token|api_key|apikey)[ \\t]*=[ \\t]*"
                    + "(?:\"([^\"\\r\\n]*)\"|'([^'\\r\\n]*)'|([^;&\\s\"',)}]+))",
                    List.of("pass", "pwd", "accountkey", "sharedaccesskey", "sig=", "secret", "token", "key"), 1, 2, 3),
            Shape.of("(?i)SharedAccessSignature[ \\t]*=[ \\t]*([^;\\s\"']+)", List.of("sharedaccesssignature"), 1),
            // values given to telling names in code and configuration: password = "...", "apiKey": "...", token: ...
            // (the match starts at the telling word: what precedes it, as in dbPassword, is never masked)
            Shape.value("(?i)(?:" + NAMES + ")[\"']?[ \\t]*(?::=|=>|==?)[ \\t]*"
                    + "(?:\"((?:[^\"\\\\\\r\\n]|\\\\.)*)\"|'((?:[^'\\\\\\r\\n]|\\\\.)*)'|([^\\s,;'\"()<>{}\\[\\]]+))",
                    NAME_HINTS, 1, 2, 3),
            // after a colon (YAML, JSON, properties) an unquoted value must end its line or item, so that
            // prose such as "secret: a GitHub token" is left alone
            Shape.value("(?i)(?:" + NAMES + ")[\"']?[ \\t]*:[ \\t]*"
                    + "(?:\"((?:[^\"\\\\\\r\\n]|\\\\.)*)\"|'((?:[^'\\\\\\r\\n]|\\\\.)*)'"
                    + "|([^\\s,;'\"()<>{}\\[\\]]+)[ \\t]*(?:$|[\\r\\n,;}#]))",
                    NAME_HINTS, 1, 2, 3),
            // the same in XML: <password>...</password>
            Shape.value("(?i)<[A-Za-z0-9_.:-]*(?:password|secret|token|apikey|api-key|accesskey)[A-Za-z0-9_.:-]*>"
                    + "([^<]+)</", List.of("pass", "secret", "token", "key"), 1),
            Shape.of("(?i)\\bbearer[ \\t]+([A-Za-z0-9._~+/=-]{16,})", List.of("bearer"), 1),
            // vendor token shapes: the vendor prefix stays, the rest is masked
            Shape.of("\\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)([0-9A-Z]{16})\\b",
                    List.of("akia", "asia", "abia", "acca", "agpa", "aida", "aroa", "anpa", "anva", "aipa"), 1),
            Shape.of("(?i)aws.{0,20}?(?:secret|private).{0,20}?['\"\\s:=]+([A-Za-z0-9/+]{40,})", List.of("aws"), 1),
            Shape.of("\\b(?:ghp|gho|ghu|ghs|ghr)_([A-Za-z0-9]{20,})", List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_"), 1),
            Shape.of("\\bgithub_pat_([A-Za-z0-9_]{20,})", List.of("github_pat_"), 1),
            Shape.of("\\bglpat-([A-Za-z0-9_-]{20,})", List.of("glpat-"), 1),
            Shape.of("\\bxox[abposre]-([A-Za-z0-9-]{10,})", List.of("xox"), 1),
            Shape.of("hooks\\.slack\\.com/services/([A-Za-z0-9/]+)", List.of("hooks.slack.com"), 1),
            Shape.of("\\bAIza([0-9A-Za-z_-]{30,})", List.of("aiza"), 1),
            Shape.of("\\bsk-(?:proj-|svcacct-|admin-|ant-)?([A-Za-z0-9_-]{20,})", List.of("sk-"), 1),
            Shape.of("\\b(?:sk|rk)_(?:live|test)_([A-Za-z0-9]{10,})", List.of("_live_", "_test_"), 1),
            Shape.of("\\bnpm_([A-Za-z0-9]{30,})", List.of("npm_"), 1),
            Shape.of("\\beyJ([A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*)", List.of("eyj"), 1));

    private SecretPatterns() {
    }

    /** Applies every shape in turn, each reading the text through {@code meter}. */
    static String mask(String text, UnaryOperator<CharSequence> meter) {
        // masking only ever removes what a hint could match, so hints found in the original text hold
        String lower = text.toLowerCase(Locale.ROOT);
        String s = text;
        for (Shape shape : SHAPES) {
            if (mentionsAny(lower, shape.hints())) {
                s = apply(shape, meter.apply(s));
            }
        }
        return s;
    }

    private static boolean mentionsAny(String lower, List<String> hints) {
        for (String hint : hints) {
            if (lower.contains(hint)) {
                return true;
            }
        }
        return false;
    }

    private static String apply(Shape shape, CharSequence text) {
        Matcher m = shape.pattern().matcher(text);
        StringBuilder out = null;
        int copied = 0;
        while (m.find()) {
            for (int g : shape.masked()) {
                int start = m.start(g);
                int end = start < 0 ? -1 : m.end(g);
                if (start < copied || end == start) {
                    continue; // the group did not take part, overlaps a masked one, or is empty
                }
                if (shape.unlessPlaceholder() && Placeholders.isPlaceholder(text, start, end)) {
                    continue;
                }
                if (out == null) {
                    out = new StringBuilder(text.length() + 16);
                }
                out.append(text, copied, start).append(Redactor.MASK);
                copied = end;
            }
        }
        if (out == null) {
            return text.toString();
        }
        return out.append(text, copied, text.length()).toString();
    }
}
