package dev.aar.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.event.Phase;
import dev.aar.core.event.ProgressUpdate;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** What the non-terminal progress output prints for each phase. */
class ProgressBarTest {

    private static ProgressUpdate update(Phase phase, int done, int total) {
        return new ProgressUpdate("p", "j", phase, total == 0 ? 0 : 100.0 * done / total, done, total, null);
    }

    @Test
    void namesEachPhasesUnitAndGivesNoRateBeforeASecondHasPassed() {
        StringWriter out = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(out), false);
        bar.onEvent(update(Phase.EXTRACTING, 211, 15_224));
        bar.onEvent(update(Phase.INDEXING, 1, 15_224));
        bar.onEvent(update(Phase.ANALYZING, 2, 5));
        bar.onEvent(update(Phase.SAVING, 1, 1));

        String[] lines = out.toString().split("\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[0]).contains("211/15,224 entries").endsWith("ETA --:--").doesNotContain("/s");
        assertThat(lines[1]).contains("1/15,224 files").endsWith("ETA --:--").doesNotContain("/s");
        assertThat(lines[2]).contains(" 40.0%", "2/5 analyzers").doesNotContain("files", "ETA");
        assertThat(lines[3]).contains("100.0%", "1/1 steps").doesNotContain("files", "ETA");
    }
}
