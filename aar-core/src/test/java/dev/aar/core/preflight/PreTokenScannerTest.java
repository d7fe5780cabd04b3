package dev.aar.core.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PreTokenScannerTest {

    private static final byte[] ALPHABET = "aZ09_.(){}; \t\n\r\u00e9".getBytes(StandardCharsets.UTF_8);

    @Test
    void countsTheDocumentedRuns() {
        assertThat(count("foo.bar(1234567);\n")).isEqualTo(
                1 /* foo */ + 1 /* .bar */ + 1 /* ( */ + 3 /* 123 456 7 */ + 1 /* ); */ + 0 /* newline after punctuation */);
        assertThat(count("    return x;\n\n  }")).isEqualTo(
                1 /* indentation */ + 1 /* return */ + 1 /* " x" */ + 1 /* ; */ + 0 /* newlines after ; */ + 1 /* "  " */
                        + 1 /* } */);
        assertThat(count("a  \nb")).isEqualTo(1 /* a */ + 0 /* trailing spaces */ + 1 /* newline */ + 1 /* b */);
        assertThat(count("")).isZero();
    }

    @Test
    void agreesWithTheRunLengthReferenceOnRandomTextCutAnywhere() {
        Random random = new Random(20261127);
        PreTokenScanner scanner = new PreTokenScanner();
        RunLengthPreTokenScanner reference = new RunLengthPreTokenScanner();
        for (int round = 0; round < 2_000; round++) {
            byte[] text = randomText(random, random.nextInt(400));
            scanner.reset();
            reference.reset();
            reference.scan(text, 0, text.length);
            int off = 0;
            while (off < text.length) { // the same text in random pieces, as buffers arrive
                int len = Math.min(text.length - off, 1 + random.nextInt(16));
                scanner.scan(text, off, len);
                assertThat(scanner.count()).isGreaterThanOrEqualTo(0); // count() must not disturb the scan
                off += len;
            }
            assertThat(scanner.count()).as("round %d: %s", round, new String(text, StandardCharsets.UTF_8))
                    .isEqualTo(reference.count());
        }
    }

    @Test
    void agreesWithTheReferenceOnRandomBytes() {
        Random random = new Random(7);
        byte[] bytes = new byte[100_000];
        random.nextBytes(bytes);
        PreTokenScanner scanner = new PreTokenScanner();
        RunLengthPreTokenScanner reference = new RunLengthPreTokenScanner();
        scanner.scan(bytes, 0, bytes.length);
        reference.scan(bytes, 0, bytes.length);
        assertThat(scanner.count()).isEqualTo(reference.count()).isPositive();
    }

    private static byte[] randomText(Random random, int length) {
        byte[] text = new byte[length];
        for (int i = 0; i < length; i++) {
            text[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return text;
    }

    private static long count(String text) {
        PreTokenScanner scanner = new PreTokenScanner();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        scanner.scan(bytes, 0, bytes.length);
        return scanner.count();
    }
}
