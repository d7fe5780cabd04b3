package dev.aar.core.analysis;

import com.google.re2j.Matcher;
import dev.aar.core.analysis.internal.AnalysisGuard;
import dev.aar.core.analysis.internal.PathKinds;
import dev.aar.core.analysis.internal.SecretRule;
import dev.aar.core.analysis.internal.SecretRules;
import dev.aar.core.analysis.internal.Work;
import dev.aar.core.event.Finding;
import dev.aar.core.event.Severity;
import dev.aar.core.redact.Redactor;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds hard-coded secrets: private keys, cloud keys (AWS, Azure, Google Cloud), GitHub and Slack
 * tokens, JSON Web Tokens, connection strings with passwords, and values assigned to names such as
 * {@code password}, {@code apiKey} or {@code client_secret} in code and configuration.
 *
 * <p>The secret never appears in a finding: the description names only its kind (and a token's
 * public vendor prefix) and the evidence is the line with the secret masked, then passed through
 * {@link Redactor} (so a private key written on one line, with escaped {@code \n}, shows its header
 * only). Every pattern is RE2/J: a hostile line costs time linear in its length. To keep false
 * positives down:
 * <ul>
 *   <li>placeholders are skipped ({@code ""}, {@code changeme}, {@code ${ENV}}, {@code <your-key>}, ...;
 *       see {@link SecretRules#isPlaceholder});</li>
 *   <li>a value that itself says it is an example ("EXAMPLE", "sample", "dummy", "fake") is skipped;</li>
 *   <li>in documentation, a match whose line or one of the two lines before mentions an example is skipped;</li>
 *   <li>in test code and test fixtures a finding is kept at {@link Severity#LOW}.</li>
 * </ul>
 */
public final class SecretsAnalyzer implements Analyzer {

    public static final String ID = "secrets";
    private static final int MAX_EVIDENCE = 200;
    /**
     * Distinct secrets reported per line; a minified line holding more is reported up to this many
     * (its evidence is still masked whole), which bounds the work per line to a few passes over it.
     */
    static final int MAX_SECRETS_PER_LINE = 50;

    @Override
    public String id() {
        return ID;
    }

    /** Reads the files only, so it runs while the project is still being indexed. */
    @Override
    public boolean usesEmbeddings() {
        return false;
    }

    @Override
    public String description() {
        return "Hard-coded private keys, cloud keys, tokens, passwords and connection strings";
    }

    @Override
    public void analyze(ProjectView project, FindingSink sink) {
        // every indexable file is text, and keys hide in files of any name (.pem, .key, .npmrc, ...)
        // the run's guard: stop and deadline reach inside a file, and a file over its time budget is left out
        AnalysisGuard guard = AnalysisGuard.of(project);
        for (SourceFile file : project.files()) {
            guard.file(file, work -> scan(file, work, sink));
        }
    }

    private void scan(SourceFile file, Work work, FindingSink sink) {
        List<SecretRule> extra = PathKinds.isConfiguration(file.path()) ? SecretRules.CONFIG_ONLY : List.of();
        // Lower-casing the file once and looking for each rule's hints in it with indexOf finds the lines the
        // per-line hint filter would let through, without lower-casing and testing every line against every
        // rule (which was most of this analyzer's time on the JDK's sources). Lower-casing never crosses a
        // line break, so the file's lower case is its lines' lower cases joined by "\n".
        String lower = file.text().toLowerCase(Locale.ROOT);
        int[] starts = lineStarts(lower);
        BitSet hinted = hintedLines(lower, starts, extra);
        if (hinted.isEmpty()) {
            return;
        }
        boolean test = PathKinds.isTest(file.path());
        boolean docs = PathKinds.isDocumentation(file.path());
        String[] lines = file.text().split("\n", -1);
        for (int i = hinted.nextSetBit(0); i >= 0; i = hinted.nextSetBit(i + 1)) {
            String line = lines[i];
            String lowerLine = lower.substring(starts[i], i + 1 < starts.length ? starts[i + 1] - 1 : lower.length());
            Map<String, SecretRule> found = new LinkedHashMap<>();
            TreeMap<Integer, int[]> spans = new TreeMap<>(); // start -> {end, index of the rule in found order}
            Map<Integer, String> masks = new HashMap<>();
            for (List<SecretRule> rules : List.of(SecretRules.EVERYWHERE, extra)) {
                for (SecretRule rule : rules) {
                    if (found.size() >= MAX_SECRETS_PER_LINE || !rule.mayMatch(lowerLine)) {
                        continue;
                    }
                    // every character the pattern reads is counted, so a stop or the budget interrupts a long line
                    Matcher m = rule.pattern().matcher(work.counted(line));
                    while (m.find() && found.size() < MAX_SECRETS_PER_LINE) {
                        int g = secretGroup(rule, m);
                        if (g < 0) {
                            continue;
                        }
                        String secret = m.group(g);
                        boolean known = found.containsKey(secret);
                        if (known || rule.valid().test(secret) && !skip(rule, secret, line, m.end(), lines, i, docs)) {
                            found.putIfAbsent(secret, rule);
                            if (!isMarker(rule)) {
                                spans.putIfAbsent(m.start(g), new int[] {m.end(g)});
                                masks.putIfAbsent(m.start(g), SecretRules.mask(secret, found.get(secret).kind()));
                            }
                        }
                    }
                }
            }
            if (found.isEmpty()) {
                continue;
            }
            // mask every secret of the line in every finding's evidence, not just the finding's own, in one
            // pass over the line; then whatever else the one masking step knows (a PEM body after its
            // header, a URL's password)
            StringBuilder masked = new StringBuilder(line.length());
            int copied = 0;
            for (Map.Entry<Integer, int[]> span : spans.entrySet()) {
                int start = span.getKey();
                if (start < copied) {
                    continue; // overlaps a secret already masked
                }
                masked.append(line, copied, start).append(masks.get(start));
                copied = span.getValue()[0];
            }
            String evidence = Redactor.redact(masked.append(line, copied, line.length()).toString(), file.path());
            for (Map.Entry<String, SecretRule> e : found.entrySet()) {
                sink.emit(finding(e.getValue(), e.getKey(), file.path(), i + 1, evidence, test));
            }
        }
    }

    /** Returns the lines (0-based) of {@code lower} that hold a hint of some rule that applies to the file. */
    private static BitSet hintedLines(String lower, int[] starts, List<SecretRule> extra) {
        BitSet hinted = new BitSet();
        for (List<SecretRule> rules : List.of(SecretRules.EVERYWHERE, extra)) {
            for (SecretRule rule : rules) {
                for (String hint : rule.hints()) {
                    int at = lower.indexOf(hint);
                    while (at >= 0) {
                        int line = Arrays.binarySearch(starts, at);
                        line = line >= 0 ? line : -line - 2;
                        hinted.set(line);
                        at = line + 1 < starts.length ? lower.indexOf(hint, starts[line + 1]) : -1;
                    }
                }
            }
        }
        return hinted;
    }

    /** Returns where each line of {@code text} starts. */
    private static int[] lineStarts(String text) {
        int count = 1;
        for (int at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) {
            count++;
        }
        int[] starts = new int[count];
        int line = 1;
        for (int at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) {
            starts[line++] = at + 1;
        }
        return starts;
    }

    /** Returns the group of the current match holding the secret (0 for a marker), or -1. */
    private static int secretGroup(SecretRule rule, Matcher m) {
        if (rule.group() == 0) {
            return 0;
        }
        for (int g = rule.group(); g <= m.groupCount(); g++) {
            if (m.start(g) >= 0) {
                return g;
            }
        }
        return -1;
    }

    /** The private-key rule matches the PEM header, which is not secret; the key follows it. */
    private static boolean isMarker(SecretRule rule) {
        return rule.group() == 0;
    }

    private static boolean skip(SecretRule rule, String secret, String line, int matchEnd, String[] lines, int index,
            boolean docs) {
        if (isMarker(rule)) {
            // the key's body follows the header on the same line (a string with escaped "\n") or on the next
            String sameLine = stripPemSeparators(line.substring(matchEnd, Math.min(line.length(), matchEnd + 64)));
            String body = sameLine.isEmpty() ? (index + 1 < lines.length ? lines[index + 1].strip() : "") : sameLine;
            // a header followed by "..." or nothing is how documentation shows the shape of a key
            return body.length() < 16 || body.contains("...") || body.contains("…")
                    || (docs && mentionsExampleNear(lines, index));
        }
        if (rule.kind() == SecretRule.Kind.ASSIGNMENT && SecretRules.isPlaceholder(secret)) {
            return true;
        }
        return SecretRules.mentionsExample(secret) || (docs && mentionsExampleNear(lines, index));
    }

    /** Drops what separates a one-line PEM header from its body: escaped line breaks, quotes, {@code +}, blanks. */
    private static String stripPemSeparators(String rest) {
        int i = 0;
        while (i < rest.length()) {
            char c = rest.charAt(i);
            if (c == '\\' && i + 1 < rest.length() && (rest.charAt(i + 1) == 'n' || rest.charAt(i + 1) == 'r')) {
                i += 2;
            } else if (c == '\\' || c == '"' || c == '\'' || c == '+' || Character.isWhitespace(c)) {
                i++;
            } else {
                break;
            }
        }
        return rest.substring(i).strip();
    }

    private static boolean mentionsExampleNear(String[] lines, int index) {
        for (int i = Math.max(0, index - 2); i <= index; i++) {
            if (SecretRules.mentionsExample(lines[i])) {
                return true;
            }
        }
        return false;
    }

    private static Finding finding(SecretRule rule, String secret, String path, int line, String maskedLine, boolean test) {
        String shown = isMarker(rule) ? secret : SecretRules.mask(secret, rule.kind());
        // the masked line is cut around the secret's mark; the cut cannot expose anything, as it is masked already
        String evidence = maskedLine.strip();
        if (evidence.length() > MAX_EVIDENCE) {
            int at = Math.max(0, evidence.indexOf(shown) - MAX_EVIDENCE / 2);
            evidence = evidence.substring(at, Math.min(evidence.length(), at + MAX_EVIDENCE));
        }
        Severity severity = test ? Severity.LOW : rule.severity();
        String description = "Hard-coded secret: " + rule.what() + (isMarker(rule) ? "" : " (" + shown + ")") + (test
                ? " in test code; lower risk, but it should still not be a real credential."
                : ". Anyone who can read the code can use it: revoke it and load it from a secret store or the environment.");
        return new Finding(severity, rule.rule(), description, path, line, evidence);
    }
}
