package dev.aar.examples.cli;

import dev.aar.examples.server.ServerLimits;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The {@code aar serve} options that change {@link ServerLimits}; each defaults to the documented default. */
final class ServerLimitOptions {

    @Option(names = "--max-json-bytes", paramLabel = "N", description = "largest JSON request body (default: 1048576)")
    long maxJsonBytes = ServerLimits.DEFAULT_MAX_JSON_BYTES;

    @Option(names = "--requests-per-second", paramLabel = "R", description = "sustained requests per API key (default: 50)")
    double requestsPerSecond = ServerLimits.DEFAULT_REQUESTS_PER_SECOND;

    @Option(names = "--burst", paramLabel = "N", description = "requests an API key may send at once (default: 200)")
    int burst = ServerLimits.DEFAULT_BURST;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS",
            description = "close a connection, or a request's read or write, idle this long (default: 30)")
    long idleTimeoutSeconds = ServerLimits.DEFAULT_IDLE_TIMEOUT.toSeconds();

    @Option(names = "--min-data-rate", paramLabel = "BYTES_PER_S",
            description = "slowest request body accepted once the grace has passed; 0 for none (default: 8192)")
    long minDataRate = ServerLimits.DEFAULT_MIN_REQUEST_DATA_RATE;

    @Option(names = "--data-rate-grace", paramLabel = "SECONDS",
            description = "time waiting for body bytes before --min-data-rate applies (default: 5)")
    long dataRateGraceSeconds = ServerLimits.DEFAULT_DATA_RATE_GRACE.toSeconds();

    @Option(names = "--max-threads", paramLabel = "N", description = "HTTP request threads (default: 200)")
    int maxThreads = ServerLimits.DEFAULT_MAX_THREADS;

    @Option(names = "--max-queued-requests", paramLabel = "N",
            description = "requests waiting for a thread before new connections are closed (default: 1000)")
    int maxQueuedRequests = ServerLimits.DEFAULT_MAX_QUEUED_REQUESTS;

    @Option(names = "--max-uploads-per-key", paramLabel = "N",
            description = "request bodies (parts, uploads, analyze-stream) one API key may stream at once (default: 8)")
    int maxUploadsPerKey = ServerLimits.DEFAULT_MAX_UPLOADS_PER_KEY;

    @Option(names = "--max-expensive-per-org", paramLabel = "N",
            description = "preflights and analysis submissions one organization may run at once (default: 2)")
    int maxExpensivePerOrganization = ServerLimits.DEFAULT_MAX_EXPENSIVE_PER_ORGANIZATION;

    @Option(names = "--expensive-budget", paramLabel = "SECONDS",
            description = "longest a preflight may run on a request thread (default: 120)")
    long expensiveBudgetSeconds = ServerLimits.DEFAULT_EXPENSIVE_TIME_BUDGET.toSeconds();

    /** The limits these options describe; a value out of range fails with the option's limit named. */
    ServerLimits toServerLimits() {
        return ServerLimits.builder().maxJsonBytes(maxJsonBytes).requestsPerSecond(requestsPerSecond).burst(burst)
                .idleTimeout(Duration.ofSeconds(idleTimeoutSeconds)).minRequestDataRate(minDataRate)
                .dataRateGrace(Duration.ofSeconds(dataRateGraceSeconds)).maxThreads(maxThreads)
                .maxQueuedRequests(maxQueuedRequests).maxUploadsPerKey(maxUploadsPerKey)
                .maxExpensivePerOrganization(maxExpensivePerOrganization)
                .expensiveTimeBudget(Duration.ofSeconds(expensiveBudgetSeconds)).build();
    }
}
