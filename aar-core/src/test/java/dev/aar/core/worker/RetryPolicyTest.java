package dev.aar.core.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.error.NotFoundException;
import dev.aar.core.config.WorkerProcessing;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void delayDoublesFromRetryDelaySeconds() {
        RetryPolicy policy = RetryPolicy.of(WorkerProcessing.builder().retryDelaySeconds(30).build());

        assertThat(policy.nominalDelay(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.nominalDelay(2)).isEqualTo(Duration.ofSeconds(60));
        assertThat(policy.nominalDelay(3)).isEqualTo(Duration.ofSeconds(120));
        assertThat(policy.nominalDelay(4)).isEqualTo(Duration.ofSeconds(240));
    }

    @Test
    void delayIsCappedAndNeverOverflows() {
        RetryPolicy policy = RetryPolicy.custom().baseDelay(Duration.ofSeconds(30)).maxDelay(Duration.ofMinutes(10))
                .build();

        assertThat(policy.nominalDelay(6)).isEqualTo(Duration.ofMinutes(10));
        assertThat(policy.nominalDelay(100)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void jitterOnlyShortensTheDelayByUpToItsFraction() {
        RetryPolicy none = RetryPolicy.custom().baseDelay(Duration.ofSeconds(100)).random(() -> 0.0).build();
        RetryPolicy most = RetryPolicy.custom().baseDelay(Duration.ofSeconds(100)).random(() -> 0.999_999).build();
        RetryPolicy half = RetryPolicy.custom().baseDelay(Duration.ofSeconds(100)).jitter(0.5).random(() -> 0.5)
                .build();

        assertThat(none.delay(1)).isEqualTo(Duration.ofSeconds(100));
        assertThat(most.delay(1)).isBetween(Duration.ofSeconds(80), Duration.ofMillis(80_001));
        assertThat(half.delay(2)).isEqualTo(Duration.ofSeconds(150));
    }

    @Test
    void retriesUpToMaxRetryAttemptsThenDeadLetters() {
        RetryPolicy policy = RetryPolicy.custom().maxRetryAttempts(3).baseDelay(Duration.ofSeconds(30)).jitter(0)
                .build();
        Exception error = new IllegalStateException("boom");

        assertThat(policy.maxAttempts()).isEqualTo(4);
        assertThat(policy.retryAt(1, NOW, error)).isEqualTo(NOW.plusSeconds(30));
        assertThat(policy.retryAt(3, NOW, error)).isEqualTo(NOW.plusSeconds(120));
        assertThat(policy.retryAt(4, NOW, error)).isNull();
    }

    @Test
    void clientErrorsAreNotRetried() {
        RetryPolicy policy = RetryPolicy.custom().build();

        assertThat(policy.retryAt(1, NOW, new NotFoundException("project", "p1"))).isNull();
    }

    @Test
    void zeroRetriesDeadLettersTheFirstFailure() {
        RetryPolicy policy = RetryPolicy.custom().maxRetryAttempts(0).build();

        assertThat(policy.retryAt(1, NOW, new RuntimeException())).isNull();
    }
}
