package dev.aar.examples.server;

/**
 * Limits the server enforces per request and per key.
 *
 * @param maxJsonBytes largest JSON request body
 * @param requestsPerSecond sustained requests per API key
 * @param burst requests an API key may send at once
 */
record ServerLimits(long maxJsonBytes, double requestsPerSecond, int burst) {

    static final long DEFAULT_MAX_JSON_BYTES = 1024 * 1024;
    static final double DEFAULT_REQUESTS_PER_SECOND = 50;
    static final int DEFAULT_BURST = 200;

    static ServerLimits defaults() {
        return new ServerLimits(DEFAULT_MAX_JSON_BYTES, DEFAULT_REQUESTS_PER_SECOND, DEFAULT_BURST);
    }
}
