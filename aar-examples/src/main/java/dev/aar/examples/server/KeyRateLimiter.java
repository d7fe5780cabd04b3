package dev.aar.examples.server;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per API key: {@code perSecond} requests per second with bursts of {@code burst}.
 * Returns how long to wait when a request is refused, for the 429's {@code Retry-After}.
 */
public final class KeyRateLimiter {

    private final double perSecond;
    private final double burst;
    private final Clock clock;
    private final Map<String, double[]> buckets = new ConcurrentHashMap<>();

    public KeyRateLimiter(double perSecond, int burst, Clock clock) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("rate must be > 0 and burst >= 1");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.clock = clock;
    }

    /** Takes one token for {@code keyId}; returns 0 if allowed, else the seconds to wait (>= 1). */
    public long acquire(String keyId) {
        double now = clock.millis() / 1000.0;
        double[] bucket = buckets.computeIfAbsent(keyId, k -> new double[] {burst, now});
        synchronized (bucket) {
            bucket[0] = Math.min(burst, bucket[0] + (now - bucket[1]) * perSecond);
            bucket[1] = now;
            if (bucket[0] >= 1) {
                bucket[0] -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - bucket[0]) / perSecond));
        }
    }
}
