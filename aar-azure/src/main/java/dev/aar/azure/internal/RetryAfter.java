package dev.aar.azure.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads how long a server asked us to wait: {@code retry-after-ms} (OpenAI and Azure send it, in
 * milliseconds) wins over {@code Retry-After}, which holds seconds or an HTTP-date.
 */
public final class RetryAfter {

    /** Longest wait believed; a larger value is more likely a clock or parsing error than advice. */
    static final Duration MAX = Duration.ofHours(1);

    private RetryAfter() {
    }

    /**
     * @param header returns a header's values by name (any case), empty if absent
     * @param clock the clock an HTTP-date is measured against
     */
    public static Optional<Duration> parse(Function<String, List<String>> header, Clock clock) {
        Optional<Duration> millis = first(header, "retry-after-ms").flatMap(v -> number(v, 1));
        if (millis.isPresent()) {
            return millis;
        }
        return first(header, "retry-after").flatMap(v -> number(v, 1000).or(() -> date(v, clock)));
    }

    private static Optional<String> first(Function<String, List<String>> header, String name) {
        List<String> values = header.apply(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0).trim());
    }

    private static Optional<Duration> number(String value, long millisPerUnit) {
        try {
            double units = Double.parseDouble(value);
            if (!(units >= 0) || Double.isInfinite(units)) {
                return Optional.empty();
            }
            return Optional.of(cap(Duration.ofMillis((long) Math.ceil(units * millisPerUnit))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> date(String value, Clock clock) {
        try {
            ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration wait = Duration.between(clock.instant(), at.toInstant());
            return Optional.of(cap(wait.isNegative() ? Duration.ZERO : wait));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Duration cap(Duration d) {
        return d.compareTo(MAX) > 0 ? MAX : d;
    }
}
