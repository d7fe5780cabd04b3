package dev.aar.core.event;

import com.fasterxml.jackson.annotation.JsonValue;

/** How serious a finding is, most serious first. */
public enum Severity {
    CRITICAL("Critical"),
    HIGH("High"),
    MEDIUM("Medium"),
    LOW("Low"),
    INFO("Info");

    private final String displayName;

    Severity(String displayName) {
        this.displayName = displayName;
    }

    /** Returns "Critical", "High", "Medium", "Low" or "Info". */
    @JsonValue
    public String displayName() {
        return displayName;
    }
}
