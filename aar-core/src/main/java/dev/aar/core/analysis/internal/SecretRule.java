package dev.aar.core.analysis.internal;

import dev.aar.core.event.Severity;
import java.util.List;
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
 * @param hints lower-case strings of which a line must contain at least one for the pattern to be
 *     tried; a cheap filter that spares almost every line the regular expression
 */
public record SecretRule(String rule, String what, Pattern pattern, int group, Severity severity, Kind kind,
        List<String> hints) {

    /** Returns whether {@code lowerCaseLine} contains one of the hints. */
    public boolean mayMatch(String lowerCaseLine) {
        for (String hint : hints) {
            if (lowerCaseLine.contains(hint)) {
                return true;
            }
        }
        return false;
    }

    /** How a match is judged. */
    public enum Kind {
        /** A format issued by a vendor (key prefixes, PEM headers); its public prefix may be shown. */
        TOKEN,
        /** Any value given to a name such as "password"; placeholders are ignored, nothing is shown. */
        ASSIGNMENT
    }
}
