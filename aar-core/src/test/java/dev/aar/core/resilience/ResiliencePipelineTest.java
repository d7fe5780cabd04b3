package dev.aar.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.core.error.ResilienceException;
import dev.aar.embedding.EmbeddingProviderException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ResiliencePipelineTest {

    private static final PipelineConfig FAST = PipelineConfig.custom()
            .maxRetries(3).initialBackoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(5))
            .breakerFailureThreshold(5).breakDuration(Duration.ofMillis(50)).totalTimeout(Duration.ofSeconds(10))
            .build();

    private static EmbeddingProviderException status(int code) {
        return new EmbeddingProviderException("status " + code, code, null, null);
    }

    @Test
    void retriesTransientFailuresThenSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        String result = ResiliencePipeline.of("t", FAST, null).execute(() -> {
            if (calls.incrementAndGet() < 3) {
                throw status(503);
            }
            return "ok";
        });
        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(3);
    }

    @Test
    void givesUpAfterMaxRetriesWithTheLastFailure() {
        AtomicInteger calls = new AtomicInteger();
        ResiliencePipeline pipeline = ResiliencePipeline.of("t", FAST.toBuilder().breakerFailureThreshold(0).build(), null);
        assertThatThrownBy(() -> pipeline.execute(() -> {
            calls.incrementAndGet();
            throw status(500);
        })).isInstanceOf(EmbeddingProviderException.class).hasMessage("status 500");
        assertThat(calls).hasValue(4);
    }

    @Test
    void neverRetriesANonTransientClientError() {
        for (int code : new int[] {400, 401, 403, 404, 422}) {
            AtomicInteger calls = new AtomicInteger();
            assertThatThrownBy(() -> ResiliencePipeline.of("t", FAST, null).execute(() -> {
                calls.incrementAndGet();
                throw status(code);
            })).isInstanceOf(EmbeddingProviderException.class);
            assertThat(calls).as("status %d", code).hasValue(1);
        }
    }

    @Test
    void retriesTheTransientClientErrors() {
        for (int code : new int[] {408, 409, 429}) {
            AtomicInteger calls = new AtomicInteger();
            ResiliencePipeline.of("t", FAST, null).execute(() -> {
                if (calls.incrementAndGet() == 1) {
                    throw status(code);
                }
                return null;
            });
            assertThat(calls).as("status %d", code).hasValue(2);
        }
    }

    @Test
    void waitsAtLeastWhatRetryAfterAsks() {
        AtomicInteger calls = new AtomicInteger();
        long start = System.nanoTime();
        ResiliencePipeline.of("t", FAST, null).execute(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new EmbeddingProviderException("slow down", 429, Duration.ofMillis(300), null);
            }
            return null;
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void aRetryAfterBeyondTheTotalTimeoutFailsAtOnce() {
        ResiliencePipeline pipeline = ResiliencePipeline.of("t", FAST.toBuilder().totalTimeout(Duration.ofSeconds(1)).build(), null);
        assertThatThrownBy(() -> pipeline.execute(() -> {
            throw new EmbeddingProviderException("come back tomorrow", 429, Duration.ofHours(24), null);
        })).isInstanceOf(ResilienceException.class).hasMessageContaining("retry after PT24H")
                .satisfies(e -> assertThat(((ResilienceException) e).reason()).isEqualTo(ResilienceException.Reason.TIMEOUT));
    }

    @Test
    void anOutageLongerThanTheBreakWindowIsWaitedOutWithoutSpendingRetries() {
        // down for 12 calls: with 1 retry and no breaker waiting this call would fail after 2
        PipelineConfig config = FAST.toBuilder().maxRetries(1).breakerFailureThreshold(2).build();
        ResiliencePipeline pipeline = ResiliencePipeline.of("t", config, null);
        AtomicInteger calls = new AtomicInteger();
        String result = pipeline.execute(() -> {
            if (calls.incrementAndGet() <= 12) {
                throw status(503);
            }
            return "recovered";
        });
        assertThat(result).isEqualTo("recovered");
        assertThat(calls).hasValue(13);
        assertThat(pipeline.circuitBreaker().orElseThrow().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void failsFastOnAnOpenBreakerWhenNotWaiting() {
        ResiliencePipeline pipeline = ResiliencePipeline.of("t",
                FAST.toBuilder().waitForBreaker(false).breakDuration(Duration.ofMinutes(5)).build(), null);
        pipeline.circuitBreaker().orElseThrow().transitionToOpenState();
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> pipeline.execute(calls::incrementAndGet))
                .isInstanceOf(ResilienceException.class)
                .satisfies(e -> assertThat(((ResilienceException) e).code()).isEqualTo("resilience.breaker_open"));
        assertThat(calls).hasValue(0);
    }

    @Test
    void aCallerThatAsksFailsFastOnAnOpenBreakerWhileJobsOnTheSamePipelineWait() {
        ResiliencePipeline pipeline = ResiliencePipeline.of("t", FAST.toBuilder().breakDuration(Duration.ofMinutes(5)).build(), null);
        pipeline.circuitBreaker().orElseThrow().transitionToOpenState();
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> pipeline.executeFailFast(calls::incrementAndGet))
                .isInstanceOfSatisfying(ResilienceException.class,
                        e -> assertThat(e.code()).isEqualTo("resilience.breaker_open"));
        assertThat(calls).hasValue(0);
        assertThat(pipeline.config().waitForBreaker()).isTrue();
    }

    @Test
    void aFailFastCallIsTheTrialOnceTheBreakIsOver() {
        ResiliencePipeline pipeline = ResiliencePipeline.of("t", FAST, null);
        CircuitBreaker breaker = pipeline.circuitBreaker().orElseThrow();
        breaker.transitionToOpenState();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> breaker.tryAcquirePermission() && releasing(breaker));

        assertThat(pipeline.executeFailFast(() -> "trial")).isEqualTo("trial");
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    private static boolean releasing(CircuitBreaker breaker) {
        breaker.releasePermission();
        return true;
    }

    @Test
    void aJobsWaitForTheBreakerIsBoundedByTheTotalTimeout() {
        // the breaker stays open far longer than the total timeout, and maxBreakerWait is the default hour
        ResiliencePipeline pipeline = ResiliencePipeline.of("t",
                FAST.toBuilder().breakDuration(Duration.ofMinutes(5)).totalTimeout(Duration.ofMillis(100)).build(), null);
        pipeline.circuitBreaker().orElseThrow().transitionToOpenState();

        assertThatThrownBy(() -> pipeline.execute(() -> "never")).isInstanceOfSatisfying(ResilienceException.class,
                e -> assertThat(e.getMessage()).contains("total timeout"));
    }

    @Test
    void aWaitForTheBreakerIsBounded() {
        ResiliencePipeline pipeline = ResiliencePipeline.of("t",
                FAST.toBuilder().breakDuration(Duration.ofMinutes(5)).maxBreakerWait(Duration.ofMillis(50)).build(), null);
        pipeline.circuitBreaker().orElseThrow().transitionToOpenState();
        assertThatThrownBy(() -> pipeline.execute(() -> "never"))
                .isInstanceOf(ResilienceException.class).hasMessageContaining("stayed open");
    }

    @Test
    void aSlowAttemptIsCutByTheAttemptTimeoutAndRetried() {
        // the first attempt never answers; the timeout is generous so the second, instant one always fits in it
        ResiliencePipeline pipeline = ResiliencePipeline.of("t", FAST.toBuilder().attemptTimeout(Duration.ofSeconds(2)).build(), null);
        AtomicInteger calls = new AtomicInteger();
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch interrupted = new java.util.concurrent.CountDownLatch(1);
        String result = pipeline.execute(() -> {
            if (calls.incrementAndGet() == 1) {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    Thread.currentThread().interrupt();
                }
            }
            return "second";
        });
        assertThat(result).isEqualTo("second");
        // the time limiter cancels the timed-out attempt: its thread is interrupted, not left waiting
        assertThat(awaitQuietly(interrupted)).isTrue();
        pipeline.close();
    }

    @Test
    void publishesResilience4jMetrics() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ResiliencePipeline pipeline = ResiliencePipeline.of("metered",
                FAST.toBuilder().requestsPerSecond(1000).tokensPerMinute(100_000).build(), meters);
        pipeline.execute(500, () -> "x");
        assertThat(meters.find("resilience4j.retry.calls").tag("name", "metered").meters()).isNotEmpty();
        assertThat(meters.find("resilience4j.circuitbreaker.state").tag("name", "metered").meters()).isNotEmpty();
        assertThat(meters.find("resilience4j.ratelimiter.available.permissions").tag("name", "metered").gauge()).isNotNull();
        assertThat(meters.find("resilience4j.ratelimiter.available.permissions").tag("name", "metered-tokens").gauge().value())
                .isEqualTo(100_000 - 500);
    }

    @Test
    void theRegistryHoldsTheSpecsThreePipelinesWithTheirNumbers() {
        PipelineRegistry registry = PipelineRegistry.ofDefaults(null);
        assertThat(registry.names()).containsExactlyInAnyOrder("EmbeddingPipeline", "OpenAiPipeline", "BlobStoragePipeline");
        PipelineConfig embedding = registry.config(EmbeddingPipeline.NAME);
        assertThat(embedding.maxRetries()).isEqualTo(3);
        assertThat(embedding.breakerFailureThreshold()).isEqualTo(5);
        assertThat(embedding.breakDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(embedding.totalTimeout()).isEqualTo(Duration.ofMinutes(5));
        PipelineConfig openAi = registry.config(OpenAiPipeline.NAME);
        assertThat(openAi.maxRetries()).isEqualTo(3);
        assertThat(openAi.jitter()).isPositive();
        assertThat(openAi.breakerFailureThreshold()).isEqualTo(10);
        assertThat(openAi.breakDuration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(openAi.requestsPerSecond()).isEqualTo(100);
        assertThat(openAi.totalTimeout()).isEqualTo(Duration.ofMinutes(10));
        PipelineConfig blob = registry.config(BlobStoragePipeline.NAME);
        assertThat(blob.maxRetries()).isEqualTo(5);
        assertThat(blob.attemptTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(registry.pipeline(EmbeddingPipeline.NAME)).isSameAs(registry.pipeline(EmbeddingPipeline.NAME));
        assertThatThrownBy(() -> registry.register(EmbeddingPipeline.NAME, embedding)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> registry.pipeline("Nope")).hasMessageContaining("known: [BlobStoragePipeline");
        registry.close();
    }

    @Test
    void configRefusesBadValuesNamingThem() {
        assertThatThrownBy(() -> PipelineConfig.custom().maxRetries(-1)).hasMessageContaining("maxRetries = -1");
        assertThatThrownBy(() -> PipelineConfig.custom().jitter(1.5)).hasMessageContaining("jitter = 1.5");
        assertThatThrownBy(() -> PipelineConfig.custom().breakDuration(Duration.ZERO)).hasMessageContaining("breakDuration");
    }

    private static boolean awaitQuietly(java.util.concurrent.CountDownLatch latch) {
        try {
            return latch.await(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
