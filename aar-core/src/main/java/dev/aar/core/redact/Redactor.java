package dev.aar.core.redact;

import java.util.Locale;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Masks secrets and server paths in text that leaves the SDK: findings, inventories, events, job
 * errors, problem details and displayed search snippets all pass through here, so there is one
 * list of what is hidden (docs/security.md, "What is masked").
 *
 * <p>Hidden are: PEM blocks (multi-line, on one line with escaped {@code \n}, or base64-encoded),
 * credentials in URLs ({@code https://user:token@host}) and connection strings ({@code password=},
 * {@code AccountKey=}, {@code SharedAccessSignature=}, {@code sig=}), values assigned to names such as
 * {@code password}, {@code apiKey} or {@code client_secret}, bearer tokens, the usual cloud and VCS
 * token shapes (AWS, GitHub, GitLab, Slack, Google, OpenAI, Stripe, npm, JSON Web Tokens), long
 * random base64 (Azure storage keys, AWS secret keys, PEM body lines), and every value of a
 * {@code .env} file. A token keeps its public vendor prefix ({@code ghp_********}); everything else
 * becomes {@value #MASK}. Masking is idempotent, and linear in the length of the text: the shapes
 * are matched by RE2/J (no backtracking) and by hand-written single-pass scanners.
 */
public final class Redactor {

    /** What a secret is replaced with; it never depends on the secret's length or bytes. */
    public static final String MASK = "********";

    private Redactor() {
    }

    /** Returns {@code text} with every secret masked; null stays null. */
    public static @Nullable String redact(@Nullable String text) {
        return text == null ? null : redact(text, false, UnaryOperator.identity());
    }

    /**
     * Returns {@code text}, taken from the project file {@code path} (or null when unknown), with every
     * secret masked; text of a {@code .env} file also has every assigned value masked.
     */
    public static @Nullable String redact(@Nullable String text, @Nullable String path) {
        return text == null ? null : redact(text, isDotenv(path), UnaryOperator.identity());
    }

    /**
     * Returns {@code text} with every absolute path ({@code /srv/aar-data/work/1/src/App.java},
     * {@code C:\data\x}, {@code file:/x/y}) shortened to {@code …/} and its last name, so no server
     * directory leaves; relative (project) paths and URLs are kept.
     */
    public static @Nullable String redactPaths(@Nullable String text) {
        return text == null ? null : ServerPaths.mask(text);
    }

    /** Returns {@code text} as a client may see it: secrets masked and absolute paths shortened. */
    public static @Nullable String forClient(@Nullable String text) {
        return text == null ? null : redact(redactPaths(text));
    }

    /**
     * Returns the first non-blank line of {@code text} (a chunk of the project file {@code path}),
     * masked with the whole text as context (a PEM body line is hidden even without its header in
     * view), at most {@code maxChars} characters followed by "…" when cut.
     */
    public static String snippet(@Nullable String text, @Nullable String path, int maxChars) {
        if (text == null) {
            return "";
        }
        String first = redact(text, path).strip().lines().findFirst().orElse("").strip();
        return first.length() > maxChars ? first.substring(0, maxChars) + "…" : first;
    }

    /** Returns whether {@code path} names a dotenv file ({@code .env}, {@code .env.local}, {@code prod.env}, {@code .envrc}). */
    public static boolean isDotenv(@Nullable String path) {
        if (path == null) {
            return false;
        }
        String name = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1).toLowerCase(Locale.ROOT);
        return name.equals(".env") || name.startsWith(".env.") || name.endsWith(".env") || name.equals(".envrc");
    }

    /**
     * The whole masking, every step reading its input through {@code meter} (identity in production;
     * tests count the characters read to prove the work is linear).
     */
    static String redact(CharSequence text, boolean dotenv, UnaryOperator<CharSequence> meter) {
        String s = PemBlocks.mask(meter.apply(text));
        s = SecretPatterns.mask(s, meter);
        s = Base64Runs.mask(meter.apply(s));
        if (dotenv) {
            s = DotenvValues.mask(meter.apply(s));
        }
        return s;
    }
}
