package dev.aar.core.event;

import com.fasterxml.jackson.annotation.JsonValue;

/** The phases of an analysis job, in order. */
public enum Phase {
    EXTRACTING("Extracting"),
    INDEXING("Indexing"),
    ANALYZING("Analyzing"),
    SAVING("Saving");

    private final String displayName;

    Phase(String displayName) {
        this.displayName = displayName;
    }

    /** Returns the spec's name: "Extracting", "Indexing", "Analyzing" or "Saving". */
    @JsonValue
    public String displayName() {
        return displayName;
    }

    /** Parses the spec's name or the constant name, case-insensitively. */
    public static Phase parse(String name) {
        for (Phase p : values()) {
            if (p.displayName.equalsIgnoreCase(name) || p.name().equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown phase '" + name + "'; expected Extracting, Indexing, Analyzing or Saving");
    }
}
