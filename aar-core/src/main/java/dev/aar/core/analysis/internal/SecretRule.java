package dev.aar.core.analysis.internal;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.aar.core.event.Severity;
import java.util.List;
import java.util.function.Predicate;

/**
 * One pattern of a hard-coded secret, matched with RE2/J so that a hostile line costs time linear in its length.
 *
 * @param rule the finding's rule id
 * @param what what the secret is, for the description
 * @param pattern matches the secret in one line
 * @param group the first pattern group that may hold the secret itself (the first of those groups
 *     that took part in the match is the secret; 0 for the whole match)
 * @param severity the severity outside test code
 * @param kind whether the secret has a recognisable format or is any value assigned to a telling name
 * @param hints lower-case strings of which a line must contain at least one for the pattern to be
 *     tried; a cheap filter that spares almost every line the regular expression
 * @param valid a further test of the matched secret (a base64 run must decode to a private key, say)
 */
public record SecretRule(String rule, String what, Pattern pattern, int group, Severity severity, Kind kind,
        List<String> hints, Predicate<String> valid) {

    /** A rule whose every match is a secret. */
    public SecretRule(String rule, String what, Pattern pattern, int group, Severity severity, Kind kind,
            List<String> hints) {
        this(rule, what, pattern, group, severity, kind, hints, s -> true);
    }

    /** Returns whether {@code lowerCaseLine} contains one of the hints. */
    public boolean mayMatch(String lowerCaseLine) {
        for (String hint : hints) {
            if (lowerCaseLine.contains(hint)) {
                return true;
            }
        }
        return false;
    }

    /** Returns the secret of the current match of {@code m} (a matcher of {@link #pattern}), or null. */
    public String secretOf(Matcher m) {
        if (group == 0) {
            return m.group();
        }
        for (int g = group; g <= m.groupCount(); g++) {
            String s = m.group(g);
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    /** How a match is judged. */
    public enum Kind {
        /** A format issued by a vendor (key prefixes, PEM headers); its public prefix may be shown. */
        TOKEN,
        /** Any value given to a name such as "password"; placeholders are ignored, nothing is shown. */
        ASSIGNMENT
    }
}
