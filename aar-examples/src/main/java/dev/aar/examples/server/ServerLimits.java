package dev.aar.examples.server;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits the server enforces per request, per connection, per key and per organization; every
 * default is a public {@code DEFAULT_*} constant and {@code docs/security.md} lists them all.
 *
 * @param maxJsonBytes largest JSON request body (and any body of a route that is not an archive or a part)
 * @param requestsPerSecond sustained requests per API key
 * @param burst requests an API key may send at once
 * @param idleTimeout a connection (or a request's read or write) with no bytes for this long is closed
 * @param minRequestDataRate bytes per second a request body must arrive at, once {@code dataRateGrace} has passed
 * @param dataRateGrace time spent waiting for body bytes before {@code minRequestDataRate} applies
 * @param maxThreads request threads of the embedded Jetty
 * @param maxQueuedRequests requests waiting for a thread; beyond that, new connections are closed
 * @param maxUploadsPerKey request bodies one API key may stream at once (parts, direct uploads, analyze-stream)
 * @param maxExpensivePerOrganization expensive calls (preflights, analysis submission) one organization may run at once
 * @param expensiveTimeBudget longest a preflight of a streamed archive may run on a request thread
 * @param retryAfter the {@code Retry-After} sent when a per-key or per-organization cap refuses a request
 */
public record ServerLimits(long maxJsonBytes, double requestsPerSecond, int burst, Duration idleTimeout,
        long minRequestDataRate, Duration dataRateGrace, int maxThreads, int maxQueuedRequests, int maxUploadsPerKey,
        int maxExpensivePerOrganization, Duration expensiveTimeBudget, Duration retryAfter) {

    public static final long DEFAULT_MAX_JSON_BYTES = 1024 * 1024;
    public static final double DEFAULT_REQUESTS_PER_SECOND = 50;
    public static final int DEFAULT_BURST = 200;
    /** Longer than the event streams' 15 s heartbeat, so a quiet stream is never cut. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final long DEFAULT_MIN_REQUEST_DATA_RATE = 8 * 1024;
    public static final Duration DEFAULT_DATA_RATE_GRACE = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_THREADS = 200;
    public static final int DEFAULT_MAX_QUEUED_REQUESTS = 1000;
    public static final int DEFAULT_MAX_UPLOADS_PER_KEY = 8;
    public static final int DEFAULT_MAX_EXPENSIVE_PER_ORGANIZATION = 2;
    public static final Duration DEFAULT_EXPENSIVE_TIME_BUDGET = Duration.ofMinutes(2);
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    /** Checks every value and names the one out of range. */
    public ServerLimits {
        positive("maxJsonBytes", maxJsonBytes);
        if (!(requestsPerSecond > 0)) {
            throw new IllegalArgumentException("requestsPerSecond must be > 0, was " + requestsPerSecond);
        }
        positive("burst", burst);
        positive("idleTimeout", millis("idleTimeout", idleTimeout));
        if (minRequestDataRate < 0) {
            throw new IllegalArgumentException("minRequestDataRate must be >= 0 (0: no minimum), was " + minRequestDataRate);
        }
        millis("dataRateGrace", dataRateGrace);
        if (maxThreads < 16) {
            // Jetty keeps some threads for its selectors and acceptors; fewer leaves none for requests
            throw new IllegalArgumentException("maxThreads must be >= 16, was " + maxThreads);
        }
        positive("maxQueuedRequests", maxQueuedRequests);
        positive("maxUploadsPerKey", maxUploadsPerKey);
        positive("maxExpensivePerOrganization", maxExpensivePerOrganization);
        positive("expensiveTimeBudget", millis("expensiveTimeBudget", expensiveTimeBudget));
        positive("retryAfter", millis("retryAfter", retryAfter) / 1000);
    }

    /** The size and rate limits of earlier releases; every other limit at its default. */
    public ServerLimits(long maxJsonBytes, double requestsPerSecond, int burst) {
        this(maxJsonBytes, requestsPerSecond, burst, DEFAULT_IDLE_TIMEOUT, DEFAULT_MIN_REQUEST_DATA_RATE,
                DEFAULT_DATA_RATE_GRACE, DEFAULT_MAX_THREADS, DEFAULT_MAX_QUEUED_REQUESTS, DEFAULT_MAX_UPLOADS_PER_KEY,
                DEFAULT_MAX_EXPENSIVE_PER_ORGANIZATION, DEFAULT_EXPENSIVE_TIME_BUDGET, DEFAULT_RETRY_AFTER);
    }

    /** Every limit at its default. */
    public static ServerLimits defaults() {
        return new ServerLimits(DEFAULT_MAX_JSON_BYTES, DEFAULT_REQUESTS_PER_SECOND, DEFAULT_BURST);
    }

    /** Returns a builder starting from these limits. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Returns a builder starting from the defaults. */
    public static Builder builder() {
        return defaults().toBuilder();
    }

    /** The {@code Retry-After} header value, in whole seconds. */
    long retryAfterSeconds() {
        return Math.max(1, retryAfter.toSeconds());
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
    }

    private static long millis(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + d);
        }
        return d.toMillis();
    }

    /** Builds {@link ServerLimits}; {@link #build()} validates. */
    public static final class Builder {
        private long maxJsonBytes;
        private double requestsPerSecond;
        private int burst;
        private Duration idleTimeout;
        private long minRequestDataRate;
        private Duration dataRateGrace;
        private int maxThreads;
        private int maxQueuedRequests;
        private int maxUploadsPerKey;
        private int maxExpensivePerOrganization;
        private Duration expensiveTimeBudget;
        private Duration retryAfter;

        private Builder(ServerLimits l) {
            maxJsonBytes = l.maxJsonBytes;
            requestsPerSecond = l.requestsPerSecond;
            burst = l.burst;
            idleTimeout = l.idleTimeout;
            minRequestDataRate = l.minRequestDataRate;
            dataRateGrace = l.dataRateGrace;
            maxThreads = l.maxThreads;
            maxQueuedRequests = l.maxQueuedRequests;
            maxUploadsPerKey = l.maxUploadsPerKey;
            maxExpensivePerOrganization = l.maxExpensivePerOrganization;
            expensiveTimeBudget = l.expensiveTimeBudget;
            retryAfter = l.retryAfter;
        }

        public Builder maxJsonBytes(long v) { maxJsonBytes = v; return this; }
        public Builder requestsPerSecond(double v) { requestsPerSecond = v; return this; }
        public Builder burst(int v) { burst = v; return this; }
        public Builder idleTimeout(Duration v) { idleTimeout = v; return this; }
        public Builder minRequestDataRate(long v) { minRequestDataRate = v; return this; }
        public Builder dataRateGrace(Duration v) { dataRateGrace = v; return this; }
        public Builder maxThreads(int v) { maxThreads = v; return this; }
        public Builder maxQueuedRequests(int v) { maxQueuedRequests = v; return this; }
        public Builder maxUploadsPerKey(int v) { maxUploadsPerKey = v; return this; }
        public Builder maxExpensivePerOrganization(int v) { maxExpensivePerOrganization = v; return this; }
        public Builder expensiveTimeBudget(Duration v) { expensiveTimeBudget = v; return this; }
        public Builder retryAfter(Duration v) { retryAfter = v; return this; }

        public ServerLimits build() {
            return new ServerLimits(maxJsonBytes, requestsPerSecond, burst, idleTimeout, minRequestDataRate,
                    dataRateGrace, maxThreads, maxQueuedRequests, maxUploadsPerKey, maxExpensivePerOrganization,
                    expensiveTimeBudget, retryAfter);
        }
    }
}
