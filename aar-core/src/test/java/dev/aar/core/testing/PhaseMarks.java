package dev.aar.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

/** Assertions on the phases' "started" and "completed" progress marks a listener saw. */
public final class PhaseMarks {

    private PhaseMarks() {
    }

    /**
     * Asserts that {@code marks} are {@code expected}, in that order, except that a "started" may be
     * missing: the dispatcher lets a newer update of the same phase replace one the listener has not
     * taken yet ({@code EventDispatcher}'s coalescing), and a phase's "completed" is its last update.
     */
    public static void assertMarks(List<String> marks, String... expected) {
        List<String> kept = Arrays.stream(expected).filter(m -> !m.endsWith(" started") || marks.contains(m)).toList();
        assertThat(marks).isEqualTo(kept);
    }
}
