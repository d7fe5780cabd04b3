package dev.aar.core.analysis.internal;

import dev.aar.core.event.Severity;
import java.util.regex.Pattern;

/**
 * One pattern of a hard-coded secret.
 *
 * @param rule the finding's rule id
 * @param what what the secret is, for the description
 * @param pattern matches the secret in one line
 * @param group the pattern group holding the secret itself
 * @param severity the severity outside test code
 * @param kind whether the secret has a recognisable format or is any value assigned to a telling name
 */
public record SecretRule(String rule, String what, Pattern pattern, int group, Severity severity, Kind kind) {

    /** How a match is judged. */
    public enum Kind {
        /** A format issued by a vendor (key prefixes, PEM headers); its public prefix may be shown. */
        TOKEN,
        /** Any value given to a name such as "password"; placeholders are ignored, nothing is shown. */
        ASSIGNMENT
    }
}
