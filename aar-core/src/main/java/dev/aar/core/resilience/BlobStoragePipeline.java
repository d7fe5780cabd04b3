package dev.aar.core.resilience;

import java.time.Duration;

/** The spec's {@code BlobStoragePipeline}: 5 retries, each attempt limited to 30 s; no breaker. */
public final class BlobStoragePipeline {

    public static final String NAME = "BlobStoragePipeline";
    public static final int DEFAULT_MAX_RETRIES = 5;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);
    public static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);
    public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(30);

    private BlobStoragePipeline() {
    }

    /** Returns the spec's settings. */
    public static PipelineConfig config() {
        return PipelineConfig.custom()
                .maxRetries(DEFAULT_MAX_RETRIES)
                .initialBackoff(DEFAULT_INITIAL_BACKOFF)
                .backoffMultiplier(DEFAULT_BACKOFF_MULTIPLIER)
                .maxBackoff(DEFAULT_MAX_BACKOFF)
                .attemptTimeout(DEFAULT_ATTEMPT_TIMEOUT)
                .build();
    }
}
