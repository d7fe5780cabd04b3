package dev.aar.core.redact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Masking reads each character a bounded number of times, whatever the text: every step reads its input
 * through a counting {@link CharSequence}, and the count for a text four times as long must be at most
 * about four times as large (a work counter, not a clock, so the test is deterministic).
 */
class RedactorLinearityTest {

    private static final int SMALL = 8_000;
    private static final int LARGE = 4 * SMALL;

    static Stream<Arguments> hostileTexts() {
        List<Object[]> cases = List.of(
                repeat("pem headers", "-----BEGIN "),
                repeat("pem headers with labels", "-----BEGIN KEY-----"),
                repeat("pem blocks", "-----BEGIN A-----x-----END A-----"),
                repeat("pem footers", "-----END A-----"),
                repeat("dashes", "-"),
                repeat("url colons", "://a:"),
                repeat("url users", "://"),
                new Object[] {"one long url user", (IntFunction<String>) n -> "://" + "a".repeat(n)},
                new Object[] {"url with many colons", (IntFunction<String>) n -> "://" + "a:".repeat(n / 2)},
                repeat("assignments", "password="),
                repeat("spaced assignments", "password = "),
                new Object[] {"an unclosed string of escapes", (IntFunction<String>) n -> "password = \"" + "\\\"".repeat(n / 2)},
                new Object[] {"a colon value that never ends", (IntFunction<String>) n -> "token: " + "a".repeat(n)},
                repeat("colon prose", "secret: a "),
                repeat("connection pairs", ";Password="),
                repeat("signatures", "SharedAccessSignature="),
                repeat("xml tags", "<password>"),
                repeat("bearers", "Bearer "),
                repeat("github prefixes", "ghp_"),
                repeat("aws prefixes", "AKIA"),
                repeat("aws contexts", "aws secret "),
                new Object[] {"aws context then base64", (IntFunction<String>) n -> "aws secret = " + "aB3+".repeat(n / 4)},
                new Object[] {"a jwt that never ends", (IntFunction<String>) n -> "eyJ" + "a".repeat(n) + ".eyJ"},
                repeat("jwt segments", "eyJaaaaaaaaaa."),
                repeat("openai prefixes", "sk-"),
                repeat("slack prefixes", "xoxb-"),
                repeat("a random base64 run", "aB3/"),
                repeat("encoded pem prefixes", "LS0tLS1CRUdJTi"),
                repeat("absolute paths", "/a"),
                repeat("spaced paths", " /a/b"),
                repeat("drives", "C:\\"),
                repeat("file urls", "file:///"),
                repeat("dotenv lines", "A=b\n"),
                repeat("equals", "="),
                new Object[] {"a mix of everything", (IntFunction<String>) RedactorLinearityTest::mix});
        return cases.stream().map(c -> Arguments.of(c[0], c[1]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileTexts")
    void workGrowsLinearlyWithTheText(String name, IntFunction<String> text) {
        long small = work(text.apply(SMALL));
        long large = work(text.apply(LARGE));

        assertThat(large).as("characters read for %d vs %d characters of %s", LARGE, SMALL, name)
                .isLessThanOrEqualTo(small * 5);
        assertThat(small).as("characters read per character of %s", name).isLessThanOrEqualTo(80L * SMALL);
    }

    @org.junit.jupiter.api.Test
    void theCounterSeesQuadraticWork() {
        // a scan that restarts the search for an absent needle at every position, as a backtracking
        // regular expression would: the counter must tell it from linear work
        IntFunction<Long> quadratic = n -> {
            long[] count = {0};
            CharSequence text = new CountingText("a".repeat(n), count);
            for (int i = 0; i < n; i++) {
                Scan.indexOf(text, "b", i);
            }
            return count[0];
        };
        assertThat(quadratic.apply(LARGE / 4)).isGreaterThan(5L * quadratic.apply(SMALL / 4));
    }

    /** Characters read by the whole masking, for a dotenv file (every step runs) and as client text. */
    private static long work(String text) {
        long[] count = {0};
        UnaryOperator<CharSequence> meter = s -> new CountingText(s, count);
        Redactor.redact(text, true, meter);
        ServerPaths.mask(meter.apply(text));
        return count[0];
    }

    private static Object[] repeat(String name, String unit) {
        return new Object[] {name, (IntFunction<String>) n -> unit.repeat(Math.max(1, n / unit.length()))};
    }

    private static String mix(int n) {
        String[] parts = {"-----BEGIN RSA PRIVATE KEY-----", "\\n", "MIIEow", "ghp_", "AKIA", "://u:", "@", "password",
                "=", ": ", "\"", "'", "aws secret ", "eyJ", ".", "/", "C:\\", "LS0tLS1CRUdJTi", "\n", " ", "x", "Q9z"};
        Random random = new Random(14);
        StringBuilder b = new StringBuilder(n + 40);
        while (b.length() < n) {
            b.append(parts[random.nextInt(parts.length)]);
        }
        return b.toString();
    }

    /** A {@link CharSequence} that counts every character read from it. */
    private static final class CountingText implements CharSequence {
        private final CharSequence text;
        private final long[] count;

        CountingText(CharSequence text, long[] count) {
            this.text = text;
            this.count = count;
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            count[0]++;
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            count[0] += end - start;
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            count[0] += text.length();
            return text.toString();
        }
    }
}
