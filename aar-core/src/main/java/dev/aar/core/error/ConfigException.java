package dev.aar.core.error;

/** Configuration could not be read or a value is invalid; the message names the key, value and allowed range. */
public final class ConfigException extends AarException {

    /** Why the configuration was refused. */
    public enum Reason {
        /** The file does not exist or cannot be read. */
        FILE_UNREADABLE,
        /** The file is not valid JSON. */
        MALFORMED,
        /** A value has the wrong type (text where a number belongs, ...). */
        WRONG_TYPE,
        /** A number is outside its allowed range. */
        OUT_OF_RANGE,
        /** Values are individually valid but contradict each other. */
        INCONSISTENT
    }

    private final Reason reason;

    public ConfigException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ConfigException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** Returns why the configuration was refused. */
    public Reason reason() {
        return reason;
    }

    @Override
    public String code() {
        return "config." + reason.name().toLowerCase(java.util.Locale.ROOT);
    }
}
