package dev.aar.core.analysis.internal;

import com.google.re2j.Pattern;
import dev.aar.core.analysis.internal.SecretRule.Kind;
import dev.aar.core.event.Severity;
import dev.aar.core.redact.Redactor;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The secret patterns the secrets analyzer checks and the tests that tell a placeholder from a secret.
 * Every pattern is RE2/J (no backreference, no lookaround), so a line costs time linear in its length.
 */
public final class SecretRules {

    private static final String NAMES = "password|passwd|pwd|secret|api[_-]?key|apikey|access[_-]?key|"
            + "auth[_-]?token|access[_-]?token|client[_-]?secret|private[_-]?key|secret[_-]?key";

    private static final List<String> NAME_HINTS = List.of("pass", "pwd", "secret", "key", "token");
    private static final List<String> URL_HINTS = List.of("://");
    /** "-----BEGIN " in base64, as a base64-encoded PEM block starts. */
    private static final String ENCODED_PEM = "LS0tLS1CRUdJTi";

    /** Patterns checked in every file. */
    public static final List<SecretRule> EVERYWHERE = List.of(
            new SecretRule("secret-private-key", "a private key",
                    Pattern.compile("-----BEGIN ((?:RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY( BLOCK)?-----"),
                    0, Severity.CRITICAL, Kind.TOKEN, List.of("private key")),
            new SecretRule("secret-private-key", "a base64-encoded private key",
                    Pattern.compile("(" + ENCODED_PEM + "[A-Za-z0-9+/]{40,}={0,2})"),
                    1, Severity.CRITICAL, Kind.TOKEN, List.of(ENCODED_PEM.toLowerCase(Locale.ROOT)),
                    SecretRules::decodesToPrivateKey),
            new SecretRule("secret-aws-access-key", "an AWS access key id",
                    Pattern.compile("\\b((?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16})\\b"), 1, Severity.HIGH, Kind.TOKEN, List.of("akia", "asia", "abia", "acca")),
            new SecretRule("secret-aws-secret-key", "an AWS secret access key",
                    Pattern.compile("(?i)aws.{0,20}?(?:secret|private).{0,20}?['\"\\s:=]+([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+]|$)"),
                    1, Severity.CRITICAL, Kind.TOKEN, List.of("aws")),
            new SecretRule("secret-azure-storage-key", "an Azure storage account key",
                    Pattern.compile("(?i)AccountKey=([A-Za-z0-9+/]{86}==)"), 1, Severity.CRITICAL, Kind.TOKEN, List.of("accountkey=")),
            new SecretRule("secret-azure-shared-access-key", "an Azure shared access key",
                    Pattern.compile("(?i)SharedAccessKey=([A-Za-z0-9+/]{40,}=*)"), 1, Severity.HIGH, Kind.TOKEN, List.of("sharedaccesskey=")),
            new SecretRule("secret-azure-sas", "an Azure shared access signature",
                    Pattern.compile("(?i)(?:SharedAccessSignature=[^;\\s\"']*?\\bsig=|[?&]sig=)([A-Za-z0-9%+/=]{20,})"),
                    1, Severity.HIGH, Kind.ASSIGNMENT, List.of("sig=")),
            new SecretRule("secret-gcp-api-key", "a Google Cloud API key",
                    Pattern.compile("\\b(AIza[0-9A-Za-z_\\-]{35})(?:[^0-9A-Za-z_\\-]|$)"), 1, Severity.HIGH, Kind.TOKEN, List.of("aiza")),
            new SecretRule("secret-github-token", "a GitHub token",
                    Pattern.compile("\\b((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})\\b"),
                    1, Severity.HIGH, Kind.TOKEN, List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_")),
            new SecretRule("secret-gitlab-token", "a GitLab personal access token",
                    Pattern.compile("\\b(glpat-[A-Za-z0-9_-]{20,})"), 1, Severity.HIGH, Kind.TOKEN, List.of("glpat-")),
            new SecretRule("secret-slack-token", "a Slack token",
                    Pattern.compile("\\b(xox[baprse]-[A-Za-z0-9-]{10,})"), 1, Severity.HIGH, Kind.TOKEN, List.of("xox")),
            new SecretRule("secret-slack-webhook", "a Slack webhook URL",
                    Pattern.compile("https://hooks\\.slack\\.com/services/(T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]+)"),
                    1, Severity.MEDIUM, Kind.TOKEN, List.of("hooks.slack.com")),
            new SecretRule("secret-openai-key", "an OpenAI API key",
                    Pattern.compile("\\b(sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,})"),
                    1, Severity.HIGH, Kind.TOKEN, List.of("sk-")),
            new SecretRule("secret-stripe-key", "a Stripe live secret key",
                    Pattern.compile("\\b((?:sk|rk)_live_[A-Za-z0-9]{20,})"), 1, Severity.CRITICAL, Kind.TOKEN, List.of("_live_")),
            new SecretRule("secret-jwt", "a JSON Web Token",
                    Pattern.compile("\\b(eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,})"),
                    1, Severity.MEDIUM, Kind.TOKEN, List.of("eyj")),
            new SecretRule("secret-connection-string", "a connection string with a password",
                    Pattern.compile("\\b[a-zA-Z][a-zA-Z0-9+.-]{1,20}://[^\\s/:@'\"]+:([^\\s@/'\"]+)@[^\\s'\"]+"),
                    1, Severity.HIGH, Kind.ASSIGNMENT, URL_HINTS),
            new SecretRule("secret-connection-string", "a connection string with a password",
                    Pattern.compile("(?i)[;\"']\\s*(?:password|pwd)=([^;\"'\\s]+)"),
                    1, Severity.HIGH, Kind.ASSIGNMENT, List.of("password", "pwd")),
            new SecretRule("secret-password", "a password or key assigned in code",
                    Pattern.compile("(?i)(?:" + NAMES + ")\\b[\"']?\\s*(?::=|=>|[:=])\\s*(?:\"([^\\s\"']*)\"|'([^\\s\"']*)')"),
                    1, Severity.HIGH, Kind.ASSIGNMENT, NAME_HINTS));

    /** Extra patterns for configuration files, where values are not quoted. */
    public static final List<SecretRule> CONFIG_ONLY = List.of(
            new SecretRule("secret-password", "a password, token or key in configuration",
                    Pattern.compile("(?i)^\\s*(?:export\\s+)?[\\w.-]*(?:" + NAMES + "|token)\\s*[:=]\\s*([^\\s#;'\"]+)\\s*$"),
                    1, Severity.HIGH, Kind.ASSIGNMENT, NAME_HINTS));

    private static final Pattern PLACEHOLDER = Pattern.compile("(?i)^(?:change[_-]?me|change[_-]?it|password\\d*|passwd|"
            + "secret|pass|pwd|x{3,}|\\*+|\\.{3,}|null|none|nil|undefined|empty|todo|tbd|fixme|redacted|test|testing|"
            + "foo|bar|foobar|admin|default|true|false|your[_-].*|<.*>|\\$\\{.*\\}|\\{\\{.*\\}\\}|%\\(.*\\)s|"
            + "\\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_]+%|@.*@|\\[.*\\])$");
    private static final Pattern EXAMPLE_WORD = Pattern.compile("(?i)example|sample|dummy|fake|placeholder|illustrat");

    private SecretRules() {
    }

    /**
     * Returns whether an assigned {@code value} is a placeholder rather than a secret: shorter than
     * 4 characters, a well-known stand-in ({@code changeme}, {@code xxx}, {@code <your-key>},
     * {@code ${ENV}}, {@code {{var}}}, {@code $VAR}, {@code %VAR%}, ...), or one repeated character.
     */
    public static boolean isPlaceholder(String value) {
        String v = value.strip();
        if (v.length() < 4 || PLACEHOLDER.matcher(v).matches() || v.contains("${") || v.contains("{{")
                || v.toLowerCase(Locale.ROOT).contains("<your")) {
            return true;
        }
        return v.chars().distinct().count() == 1;
    }

    /** Returns whether {@code text} says it is an example ("example", "sample", "dummy", "fake", ...). */
    public static boolean mentionsExample(String text) {
        return EXAMPLE_WORD.matcher(text).find();
    }

    /**
     * Returns the secret masked: a {@link Kind#TOKEN} keeps its public vendor prefix (such as "AKIA"
     * or "ghp_") when {@link Redactor} knows one, followed by asterisks; any other secret is asterisks
     * only. No character of the secret's random part and not its length is revealed.
     */
    public static String mask(String secret, Kind kind) {
        if (kind == Kind.TOKEN) {
            String masked = Redactor.redact(secret);
            // only "prefix********": a partly masked value could still show some of the secret
            if (masked.endsWith(Redactor.MASK) && masked.length() - Redactor.MASK.length() <= 12
                    && secret.startsWith(masked.substring(0, masked.length() - Redactor.MASK.length()))) {
                return masked;
            }
        }
        return Redactor.MASK;
    }

    /** Returns whether a base64 run starting with "-----BEGIN " encoded announces a private key. */
    static boolean decodesToPrivateKey(String base64) {
        int usable = Math.min(base64.length(), 96) / 4 * 4;
        try {
            String head = new String(Base64.getDecoder().decode(base64.substring(0, usable)), StandardCharsets.US_ASCII);
            return head.contains("PRIVATE KEY");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
