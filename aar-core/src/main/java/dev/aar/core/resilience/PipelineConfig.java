package dev.aar.core.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings of one {@link ResiliencePipeline}: retry, circuit breaker, request and token
 * limiters, per-attempt and total timeouts. A zero limit or a zero duration switches that part off.
 *
 * <p>Start from one of the named pipelines ({@link EmbeddingPipeline#config()},
 * {@link OpenAiPipeline#config()}, {@link BlobStoragePipeline#config()}) or from {@link #custom()},
 * and adjust with {@link #toBuilder()}.
 */
public final class PipelineConfig {

    public static final int DEFAULT_MAX_RETRIES = 3;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
    public static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
    public static final double DEFAULT_JITTER = 0.0;
    public static final int DEFAULT_BREAKER_FAILURE_THRESHOLD = 0;
    public static final Duration DEFAULT_BREAK_DURATION = Duration.ofSeconds(30);
    public static final boolean DEFAULT_WAIT_FOR_BREAKER = true;
    public static final Duration DEFAULT_MAX_BREAKER_WAIT = Duration.ofHours(1);
    public static final double DEFAULT_REQUESTS_PER_SECOND = 0;
    public static final long DEFAULT_TOKENS_PER_MINUTE = 0;
    public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ZERO;
    public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ZERO;

    private final int maxRetries;
    private final Duration initialBackoff;
    private final double backoffMultiplier;
    private final Duration maxBackoff;
    private final double jitter;
    private final int breakerFailureThreshold;
    private final Duration breakDuration;
    private final boolean waitForBreaker;
    private final Duration maxBreakerWait;
    private final double requestsPerSecond;
    private final long tokensPerMinute;
    private final Duration attemptTimeout;
    private final Duration totalTimeout;

    private PipelineConfig(Builder b) {
        this.maxRetries = b.maxRetries;
        this.initialBackoff = b.initialBackoff;
        this.backoffMultiplier = b.backoffMultiplier;
        this.maxBackoff = b.maxBackoff;
        this.jitter = b.jitter;
        this.breakerFailureThreshold = b.breakerFailureThreshold;
        this.breakDuration = b.breakDuration;
        this.waitForBreaker = b.waitForBreaker;
        this.maxBreakerWait = b.maxBreakerWait;
        this.requestsPerSecond = b.requestsPerSecond;
        this.tokensPerMinute = b.tokensPerMinute;
        this.attemptTimeout = b.attemptTimeout;
        this.totalTimeout = b.totalTimeout;
    }

    /** Returns a builder starting from the DEFAULT_* values (retries on, breaker, limiters and timeouts off). */
    public static Builder custom() {
        return new Builder();
    }

    /** Returns a builder starting from this config. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxRetries = maxRetries;
        b.initialBackoff = initialBackoff;
        b.backoffMultiplier = backoffMultiplier;
        b.maxBackoff = maxBackoff;
        b.jitter = jitter;
        b.breakerFailureThreshold = breakerFailureThreshold;
        b.breakDuration = breakDuration;
        b.waitForBreaker = waitForBreaker;
        b.maxBreakerWait = maxBreakerWait;
        b.requestsPerSecond = requestsPerSecond;
        b.tokensPerMinute = tokensPerMinute;
        b.attemptTimeout = attemptTimeout;
        b.totalTimeout = totalTimeout;
        return b;
    }

    /** Retries after the first attempt (so at most {@code maxRetries + 1} attempts). */
    public int maxRetries() { return maxRetries; }
    /** Wait before the first retry. */
    public Duration initialBackoff() { return initialBackoff; }
    /** Factor applied to the wait before each further retry. */
    public double backoffMultiplier() { return backoffMultiplier; }
    /** Longest wait between two attempts (a server's Retry-After may ask for more, and wins). */
    public Duration maxBackoff() { return maxBackoff; }
    /** Randomisation factor of each wait, 0 (none) to 1 (anywhere from 0 to twice the wait). */
    public double jitter() { return jitter; }
    /** Consecutive failures that open the breaker; 0 means no breaker. */
    public int breakerFailureThreshold() { return breakerFailureThreshold; }
    /** How long the breaker stays open before letting a trial call through. */
    public Duration breakDuration() { return breakDuration; }
    /** Whether a caller finding the breaker open waits for it instead of failing at once. */
    public boolean waitForBreaker() { return waitForBreaker; }
    /** Longest a single call waits, in total, for an open breaker. */
    public Duration maxBreakerWait() { return maxBreakerWait; }
    /** Most calls started per second; 0 means unlimited. */
    public double requestsPerSecond() { return requestsPerSecond; }
    /** Most tokens sent per minute; 0 means unlimited. */
    public long tokensPerMinute() { return tokensPerMinute; }
    /** Longest one attempt may run; zero means no limit. */
    public Duration attemptTimeout() { return attemptTimeout; }
    /** Longest a call may take over all attempts and backoffs (not counting breaker waits); zero means no limit. */
    public Duration totalTimeout() { return totalTimeout; }

    @Override
    public String toString() {
        return "PipelineConfig{maxRetries=" + maxRetries + ", backoff=" + initialBackoff + "x" + backoffMultiplier
                + "..." + maxBackoff + ", jitter=" + jitter + ", breaker=" + breakerFailureThreshold + "/"
                + breakDuration + (waitForBreaker ? " (wait up to " + maxBreakerWait + ")" : " (fail fast)")
                + ", requestsPerSecond=" + requestsPerSecond + ", tokensPerMinute=" + tokensPerMinute
                + ", attemptTimeout=" + attemptTimeout + ", totalTimeout=" + totalTimeout + "}";
    }

    /** Builds a {@link PipelineConfig}; each setter validates its value on the spot. */
    public static final class Builder {
        private int maxRetries = DEFAULT_MAX_RETRIES;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private double backoffMultiplier = DEFAULT_BACKOFF_MULTIPLIER;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private double jitter = DEFAULT_JITTER;
        private int breakerFailureThreshold = DEFAULT_BREAKER_FAILURE_THRESHOLD;
        private Duration breakDuration = DEFAULT_BREAK_DURATION;
        private boolean waitForBreaker = DEFAULT_WAIT_FOR_BREAKER;
        private Duration maxBreakerWait = DEFAULT_MAX_BREAKER_WAIT;
        private double requestsPerSecond = DEFAULT_REQUESTS_PER_SECOND;
        private long tokensPerMinute = DEFAULT_TOKENS_PER_MINUTE;
        private Duration attemptTimeout = DEFAULT_ATTEMPT_TIMEOUT;
        private Duration totalTimeout = DEFAULT_TOTAL_TIMEOUT;

        private Builder() {
        }

        public Builder maxRetries(int v) {
            if (v < 0 || v > 100) {
                throw new IllegalArgumentException("maxRetries = " + v + " is out of range; allowed: 0..100");
            }
            maxRetries = v;
            return this;
        }

        public Builder initialBackoff(Duration v) {
            initialBackoff = positive("initialBackoff", v);
            return this;
        }

        public Builder backoffMultiplier(double v) {
            if (!(v >= 1.0 && v <= 10.0)) {
                throw new IllegalArgumentException("backoffMultiplier = " + v + " is out of range; allowed: 1.0..10.0");
            }
            backoffMultiplier = v;
            return this;
        }

        public Builder maxBackoff(Duration v) {
            maxBackoff = positive("maxBackoff", v);
            return this;
        }

        public Builder jitter(double v) {
            if (!(v >= 0.0 && v < 1.0)) {
                throw new IllegalArgumentException("jitter = " + v + " is out of range; allowed: 0.0 to below 1.0");
            }
            jitter = v;
            return this;
        }

        public Builder breakerFailureThreshold(int v) {
            if (v < 0 || v > 10_000) {
                throw new IllegalArgumentException("breakerFailureThreshold = " + v + " is out of range; allowed: 0..10000");
            }
            breakerFailureThreshold = v;
            return this;
        }

        public Builder breakDuration(Duration v) {
            breakDuration = positive("breakDuration", v);
            return this;
        }

        public Builder waitForBreaker(boolean v) {
            waitForBreaker = v;
            return this;
        }

        public Builder maxBreakerWait(Duration v) {
            maxBreakerWait = positive("maxBreakerWait", v);
            return this;
        }

        public Builder requestsPerSecond(double v) {
            if (!(v >= 0 && v <= 1_000_000)) {
                throw new IllegalArgumentException("requestsPerSecond = " + v + " is out of range; allowed: 0..1000000 (0 = unlimited)");
            }
            requestsPerSecond = v;
            return this;
        }

        public Builder tokensPerMinute(long v) {
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("tokensPerMinute = " + v + " is out of range; allowed: 0.." + Integer.MAX_VALUE + " (0 = unlimited)");
            }
            tokensPerMinute = v;
            return this;
        }

        public Builder attemptTimeout(Duration v) {
            attemptTimeout = notNegative("attemptTimeout", v);
            return this;
        }

        public Builder totalTimeout(Duration v) {
            totalTimeout = notNegative("totalTimeout", v);
            return this;
        }

        public PipelineConfig build() {
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("maxBackoff = " + maxBackoff + " is shorter than initialBackoff = "
                        + initialBackoff);
            }
            return new PipelineConfig(this);
        }

        private static Duration positive(String name, Duration v) {
            Objects.requireNonNull(v, name);
            if (v.isZero() || v.isNegative()) {
                throw new IllegalArgumentException(name + " = " + v + " is out of range; allowed: > 0");
            }
            return v;
        }

        private static Duration notNegative(String name, Duration v) {
            Objects.requireNonNull(v, name);
            if (v.isNegative()) {
                throw new IllegalArgumentException(name + " = " + v + " is out of range; allowed: >= 0 (0 = none)");
            }
            return v;
        }
    }
}
