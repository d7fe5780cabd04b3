package dev.aar.core.analysis;

import dev.aar.core.event.Finding;

/** Receives findings as an analyzer produces them; implementations publish, store or collect them. */
@FunctionalInterface
public interface FindingSink {

    /** Accepts one finding; called from the analyzing thread. */
    void emit(Finding finding);
}
