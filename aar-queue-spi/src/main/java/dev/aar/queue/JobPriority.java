package dev.aar.queue;

/** How urgent a job is; a higher {@link #value()} is claimed first. */
public enum JobPriority {
    /** Batch and background work. */
    LOW(0),
    /** Standard processing. */
    NORMAL(1),
    /** Priority customers. */
    HIGH(2),
    /** Production hotfixes. */
    CRITICAL(3);

    private final int value;

    JobPriority(int value) {
        this.value = value;
    }

    /** Returns the numeric level: Critical=3, High=2, Normal=1, Low=0. */
    public int value() {
        return value;
    }

    /** Returns the priority with this numeric level. */
    public static JobPriority ofValue(int value) {
        for (JobPriority p : values()) {
            if (p.value == value) {
                return p;
            }
        }
        throw new IllegalArgumentException("priority must be 0..3 (Low..Critical), was " + value);
    }

    /** Parses a name ("high", "Critical") or a number ("2"), case-insensitively. */
    public static JobPriority parse(String text) {
        String t = text.trim();
        if (!t.isEmpty() && Character.isDigit(t.charAt(0))) {
            return ofValue(Integer.parseInt(t));
        }
        for (JobPriority p : values()) {
            if (p.name().equalsIgnoreCase(t)) {
                return p;
            }
        }
        throw new IllegalArgumentException("priority must be one of Low, Normal, High, Critical (or 0..3), was '" + text + "'");
    }
}
