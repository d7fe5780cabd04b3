package dev.aar.core.preflight;

/** How preflight counts tokens. */
public enum TokenMode {
    /** Every indexable byte is tokenized, spread over the cores. */
    EXACT,
    /** A deterministic sample of files is tokenized and extrapolated per file extension (within 2% on real code). */
    FAST
}
