package dev.aar.core.analysis;

import dev.aar.core.analysis.internal.PathKinds;
import dev.aar.core.analysis.internal.SecretRule;
import dev.aar.core.analysis.internal.SecretRules;
import dev.aar.core.event.Finding;
import dev.aar.core.event.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Finds hard-coded secrets: private keys, cloud keys (AWS, Azure, Google Cloud), GitHub and Slack
 * tokens, JSON Web Tokens, connection strings with passwords, and values assigned to names such as
 * {@code password}, {@code apiKey} or {@code client_secret} in code and configuration.
 *
 * <p>The secret never appears in a finding: the description names only its kind and the evidence
 * is the line with the secret masked. To keep false positives down:
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

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Hard-coded private keys, cloud keys, tokens, passwords and connection strings";
    }

    @Override
    public void analyze(ProjectView project, FindingSink sink) {
        // every indexable file is text, and keys hide in files of any name (.pem, .key, .npmrc, ...)
        for (SourceFile file : project.files()) {
            scan(file, sink);
        }
    }

    private void scan(SourceFile file, FindingSink sink) {
        boolean test = PathKinds.isTest(file.path());
        boolean docs = PathKinds.isDocumentation(file.path());
        List<SecretRule> extra = PathKinds.isConfiguration(file.path()) ? SecretRules.CONFIG_ONLY : List.of();
        String[] lines = file.text().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            Map<String, SecretRule> found = new LinkedHashMap<>();
            for (List<SecretRule> rules : List.of(SecretRules.EVERYWHERE, extra)) {
                for (SecretRule rule : rules) {
                    if (!rule.mayMatch(lower)) {
                        continue;
                    }
                    Matcher m = rule.pattern().matcher(line);
                    while (m.find()) {
                        String secret = m.group(rule.group());
                        if (secret != null && !found.containsKey(secret) && !skip(rule, secret, lines, i, docs)) {
                            found.put(secret, rule);
                        }
                    }
                }
            }
            // mask every secret of the line in every finding's evidence, not just the finding's own
            String evidence = line;
            for (Map.Entry<String, SecretRule> e : found.entrySet()) {
                if (!isMarker(e.getValue())) {
                    evidence = evidence.replace(e.getKey(), SecretRules.mask(e.getKey(), e.getValue().kind()));
                }
            }
            for (Map.Entry<String, SecretRule> e : found.entrySet()) {
                sink.emit(finding(e.getValue(), e.getKey(), file.path(), i + 1, evidence, test));
            }
        }
    }

    /** The private-key rule matches the PEM header, which is not secret; the key follows it. */
    private static boolean isMarker(SecretRule rule) {
        return rule.group() == 0;
    }

    private static boolean skip(SecretRule rule, String secret, String[] lines, int index, boolean docs) {
        if (rule.rule().equals("secret-private-key")) {
            String next = index + 1 < lines.length ? lines[index + 1].strip() : "";
            // a header followed by "..." or nothing is how documentation shows the shape of a key
            return next.length() < 16 || next.contains("...") || (docs && mentionsExampleNear(lines, index));
        }
        if (rule.kind() == SecretRule.Kind.ASSIGNMENT && SecretRules.isPlaceholder(secret)) {
            return true;
        }
        return SecretRules.mentionsExample(secret) || (docs && mentionsExampleNear(lines, index));
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
