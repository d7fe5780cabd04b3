package dev.aar.core.config;

import dev.aar.core.error.ConfigException;

/** Errors for the non-numeric checks of the config sections; each names the key, the value and what is allowed. */
final class Check {

    private Check() {
    }

    static ConfigException outOfRange(String key, String value, String allowed) {
        return new ConfigException(ConfigException.Reason.OUT_OF_RANGE,
                key + " = " + value + " is out of range; allowed: " + allowed);
    }

    static ConfigException inconsistent(String message) {
        return new ConfigException(ConfigException.Reason.INCONSISTENT, message);
    }
}
