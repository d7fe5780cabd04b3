package dev.aar.core.analysis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class LineCounterTest {

    @Property(tries = 300)
    void countsLikeEditorsNumberLines(@ForAll("texts") String text) {
        int newlines = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                newlines++;
            }
        }
        int expected = text.isEmpty() ? 0 : text.endsWith("\n") ? newlines : newlines + 1;
        Work work = Work.unchecked();
        assertThat(LineCounter.lines(text, work)).isEqualTo(expected);
        assertThat(work.steps()).as("every character is charged once").isEqualTo(text.length());
    }

    @Example
    void aLongTextWithoutNewlinesIsOneLine() {
        assertThat(LineCounter.lines("x".repeat(1 << 20))).isEqualTo(1);
        assertThat(LineCounter.lines("x".repeat(1 << 17) + "\n" + "y".repeat(1 << 17))).isEqualTo(2);
        assertThat(LineCounter.lines("\u00e9\u20ac\n\n")).isEqualTo(2);
    }

    @Provide
    Arbitrary<String> texts() {
        // long enough to cross the counter's 64 Ki chunks, sparse newlines included
        Arbitrary<String> runs = Arbitraries.strings().withChars('a', '\n', '\r', '\u00e9', '\u20ac').ofMaxLength(40);
        Arbitrary<String> filler = Arbitraries.integers().between(0, 70_000).map("b"::repeat);
        return Arbitraries.oneOf(runs, filler).list().ofMaxSize(6).map(l -> String.join("", l));
    }
}
