package dev.aar.core.report;

import dev.aar.core.event.Phase;
import java.util.Objects;

/**
 * How long one phase of the job took.
 *
 * @param phase the phase
 * @param millis wall-clock milliseconds, summed over attempts when the job was resumed
 */
public record PhaseTiming(Phase phase, long millis) {
    public PhaseTiming {
        Objects.requireNonNull(phase, "phase");
        if (millis < 0) {
            throw new IllegalArgumentException("millis must be >= 0, was " + millis);
        }
    }
}
