package dev.aar.core.resilience;

import java.time.Duration;

/**
 * The spec's {@code OpenAiPipeline}: 3 retries with jittered exponential backoff, breaker 10 failures /
 * 60 s, 100 requests per second, 10 min in total.
 */
public final class OpenAiPipeline {

    public static final String NAME = "OpenAiPipeline";
    public static final int DEFAULT_MAX_RETRIES = 3;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
    public static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
    public static final double DEFAULT_JITTER = 0.5;
    public static final int DEFAULT_BREAKER_FAILURE_THRESHOLD = 10;
    public static final Duration DEFAULT_BREAK_DURATION = Duration.ofSeconds(60);
    public static final double DEFAULT_REQUESTS_PER_SECOND = 100;
    public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofMinutes(10);

    private OpenAiPipeline() {
    }

    /** Returns the spec's settings. */
    public static PipelineConfig config() {
        return PipelineConfig.custom()
                .maxRetries(DEFAULT_MAX_RETRIES)
                .initialBackoff(DEFAULT_INITIAL_BACKOFF)
                .backoffMultiplier(DEFAULT_BACKOFF_MULTIPLIER)
                .maxBackoff(DEFAULT_MAX_BACKOFF)
                .jitter(DEFAULT_JITTER)
                .breakerFailureThreshold(DEFAULT_BREAKER_FAILURE_THRESHOLD)
                .breakDuration(DEFAULT_BREAK_DURATION)
                .requestsPerSecond(DEFAULT_REQUESTS_PER_SECOND)
                .totalTimeout(DEFAULT_TOTAL_TIMEOUT)
                .build();
    }
}
