package dev.aar.core.worker;

import dev.aar.core.error.AarException;
import dev.aar.core.config.WorkerProcessing;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * When a failed job runs again: exponential backoff with jitter, then the dead-letter queue.
 *
 * <p>After failed attempt {@code n} (1-based) the job waits
 * {@code min(maxDelay, RetryDelaySeconds × 2^(n−1)) × (1 − jitter × u)}, {@code u} uniform in
 * [0, 1), and is retried while {@code n ≤ MaxRetryAttempts}; the failure of attempt
 * {@code MaxRetryAttempts + 1} dead-letters it. The nominal schedule is resilience4j's
 * {@link IntervalFunction#ofExponentialBackoff(Duration, double, Duration)}. Jitter only shortens
 * the wait, so retries never come later than the nominal schedule, while jobs that failed together
 * (an outage) spread out; that is why the jitter is applied here rather than with
 * {@code ofExponentialRandomBackoff}, whose randomization is symmetric (it may also lengthen the
 * wait, past the cap) and draws from a source tests cannot fix.
 * An {@link AarException} that is a client error (a rejected archive, a missing project) will
 * fail the same way again, so it dead-letters at once.
 */
final class RetryPolicy {

    /** Fraction of the delay that jitter may take off. */
    public static final double DEFAULT_JITTER = 0.2;
    /** Longest wait between two attempts. */
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofHours(1);

    private final int maxRetryAttempts;
    private final IntervalFunction schedule;
    private final double jitter;
    private final DoubleSupplier random;

    private RetryPolicy(Builder b) {
        this.maxRetryAttempts = b.maxRetryAttempts;
        // resilience4j counts in whole milliseconds from 1 ms up; below that there is nothing to wait
        this.schedule = b.baseDelay.toMillis() < 1 || b.maxDelay.toMillis() < 1 ? attempt -> 0L
                : IntervalFunction.ofExponentialBackoff(b.baseDelay, 2.0, b.maxDelay);
        this.jitter = b.jitter;
        this.random = b.random;
    }

    /** The policy of {@code MaxRetryAttempts} and {@code RetryDelaySeconds}, with the default jitter and cap. */
    public static RetryPolicy of(WorkerProcessing config) {
        return custom().maxRetryAttempts(config.maxRetryAttempts())
                .baseDelay(Duration.ofSeconds(config.retryDelaySeconds())).build();
    }

    /** Starts from the spec's defaults (3 retries, 30 s base delay). */
    public static Builder custom() {
        return new Builder();
    }

    /** Returns how many attempts a job gets in all: {@code MaxRetryAttempts + 1}. */
    public int maxAttempts() {
        return maxRetryAttempts + 1;
    }

    /** Returns the wait after failed attempt {@code attempt} before jitter. */
    public Duration nominalDelay(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
        }
        return Duration.ofMillis(schedule.apply(attempt));
    }

    /** Returns the wait after failed attempt {@code attempt}, jitter applied. */
    public Duration delay(int attempt) {
        double u = random.getAsDouble();
        return Duration.ofNanos((long) (nominalDelay(attempt).toNanos() * (1 - jitter * u)));
    }

    /**
     * Decides what happens after attempt {@code attempt} failed with {@code error} at {@code now}.
     *
     * @return when to run the job again, or null to dead-letter it
     */
    public @Nullable Instant retryAt(int attempt, Instant now, Throwable error) {
        if (attempt > maxRetryAttempts || (error instanceof AarException a && a.isClientError())) {
            return null;
        }
        return now.plus(delay(attempt));
    }

    /** Builds a {@link RetryPolicy}; values are checked as they are set. */
    public static final class Builder {
        private int maxRetryAttempts = WorkerProcessing.DEFAULT_MAX_RETRY_ATTEMPTS;
        private Duration baseDelay = Duration.ofSeconds(WorkerProcessing.DEFAULT_RETRY_DELAY_SECONDS);
        private Duration maxDelay = DEFAULT_MAX_DELAY;
        private double jitter = DEFAULT_JITTER;
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

        private Builder() {
        }

        /** Retries after the first failure before dead-lettering (0 = never retry). */
        public Builder maxRetryAttempts(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxRetryAttempts must be >= 0, was " + n);
            }
            this.maxRetryAttempts = n;
            return this;
        }

        /** Wait after the first failure; doubles with every further failure. */
        public Builder baseDelay(Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("baseDelay must be >= 0, was " + d);
            }
            this.baseDelay = d;
            return this;
        }

        /** Cap on any single wait. */
        public Builder maxDelay(Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("maxDelay must be >= 0, was " + d);
            }
            this.maxDelay = d;
            return this;
        }

        /** Fraction in [0, 1] of the delay that jitter may take off; 0 gives the exact schedule. */
        public Builder jitter(double fraction) {
            if (!(fraction >= 0 && fraction <= 1)) {
                throw new IllegalArgumentException("jitter must be within 0..1, was " + fraction);
            }
            this.jitter = fraction;
            return this;
        }

        /** Source of {@code u} in [0, 1); tests pass a fixed one. */
        public Builder random(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        public RetryPolicy build() {
            return new RetryPolicy(this);
        }
    }
}
