package dev.aar.core.config;

import dev.aar.core.error.ConfigException;

/**
 * One numeric configuration key and its allowed range; the record constructors check values
 * with it and the loader names it in type errors, so each range is written once.
 */
final class Key {

    final String section;
    final String name;
    private final boolean whole;
    private final long minWhole;
    private final long maxWhole;
    private final double minDecimal;
    private final double maxDecimal;

    private Key(String section, String name, boolean whole, long minWhole, long maxWhole, double minDecimal, double maxDecimal) {
        this.section = section;
        this.name = name;
        this.whole = whole;
        this.minWhole = minWhole;
        this.maxWhole = maxWhole;
        this.minDecimal = minDecimal;
        this.maxDecimal = maxDecimal;
    }

    static Key whole(String section, String name, long min, long max) {
        return new Key(section, name, true, min, max, min, max);
    }

    static Key decimal(String section, String name, double min, double max) {
        return new Key(section, name, false, 0, 0, min, max);
    }

    String path() {
        return section + "." + name;
    }

    String allowed() {
        return whole ? minWhole + ".." + maxWhole : minDecimal + ".." + maxDecimal;
    }

    int check(int value) {
        check((long) value);
        return value;
    }

    long check(long value) {
        if (value < minWhole || value > maxWhole) {
            throw outOfRange(Long.toString(value));
        }
        return value;
    }

    double check(double value) {
        if (!(value >= minDecimal && value <= maxDecimal)) {
            throw outOfRange(Double.toString(value));
        }
        return value;
    }

    ConfigException outOfRange(String value) {
        return new ConfigException(ConfigException.Reason.OUT_OF_RANGE,
                path() + " = " + value + " is out of range; allowed: " + allowed());
    }

    ConfigException wrongType(String value) {
        return new ConfigException(ConfigException.Reason.WRONG_TYPE,
                path() + " = " + value + " is not " + (whole ? "a whole number" : "a number") + "; allowed: " + allowed());
    }
}
