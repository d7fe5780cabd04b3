package dev.aar.core.resilience;

import java.time.Duration;

/** The spec's {@code EmbeddingPipeline}: 3 retries with exponential backoff, breaker 5 failures / 30 s, 5 min in total. */
public final class EmbeddingPipeline {

    public static final String NAME = "EmbeddingPipeline";
    public static final int DEFAULT_MAX_RETRIES = 3;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
    public static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
    public static final int DEFAULT_BREAKER_FAILURE_THRESHOLD = 5;
    public static final Duration DEFAULT_BREAK_DURATION = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofMinutes(5);

    private EmbeddingPipeline() {
    }

    /** Returns the spec's settings. */
    public static PipelineConfig config() {
        return PipelineConfig.custom()
                .maxRetries(DEFAULT_MAX_RETRIES)
                .initialBackoff(DEFAULT_INITIAL_BACKOFF)
                .backoffMultiplier(DEFAULT_BACKOFF_MULTIPLIER)
                .maxBackoff(DEFAULT_MAX_BACKOFF)
                .breakerFailureThreshold(DEFAULT_BREAKER_FAILURE_THRESHOLD)
                .breakDuration(DEFAULT_BREAK_DURATION)
                .totalTimeout(DEFAULT_TOTAL_TIMEOUT)
                .build();
    }
}
