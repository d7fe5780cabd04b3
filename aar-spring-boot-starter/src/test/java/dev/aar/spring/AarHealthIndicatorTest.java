package dev.aar.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.Aar;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/** The {@code aar} health: each check's outcome, and a hung or failing backend reported DOWN with why. */
class AarHealthIndicatorTest {

    @TempDir
    Path dir;

    @Test
    void everyCheckUpMeansUp() {
        try (Aar aar = Aar.builder().dataDirectory(dir).build()) {
            AarHealthIndicator indicator = new AarHealthIndicator(aar, () -> "postgresql schema v7", Duration.ofSeconds(3));
            Health health = indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsOnlyKeys("database", "storage", "queue");
            assertThat(health.getDetails().get("queue")).asInstanceOf(InstanceOfAssertFactories.MAP)
                    .containsEntry("status", "UP").containsEntry("detail", "0 queued, 0 in flight, 0 dead-lettered");
            indicator.destroy();
        }
    }

    @Test
    void aFailingDatabaseIsDownWithItsErrorAndAHungOneAfterTheDeadline() throws Exception {
        try (Aar aar = Aar.builder().dataDirectory(dir).build()) {
            AarHealthIndicator failing = new AarHealthIndicator(aar, () -> {
                throw new IllegalStateException("connection refused");
            }, Duration.ofSeconds(3));
            Health health = failing.health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("database")).asInstanceOf(InstanceOfAssertFactories.MAP)
                    .containsEntry("status", "DOWN").containsEntry("detail", "IllegalStateException: connection refused");
            assertThat(health.getDetails().get("storage")).asInstanceOf(InstanceOfAssertFactories.MAP)
                    .containsEntry("status", "UP");
            failing.destroy();

            CountDownLatch release = new CountDownLatch(1);
            AarHealthIndicator hung = new AarHealthIndicator(aar, () -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "late";
            }, Duration.ofMillis(50));
            assertThat(hung.health().getDetails().get("database")).asInstanceOf(InstanceOfAssertFactories.MAP)
                    .containsEntry("status", "DOWN").containsEntry("detail", "database did not answer within 50 ms");
            // still hanging: the second call waits on the same probe instead of starting another
            assertThat(hung.health().getStatus()).isEqualTo(Status.DOWN);
            release.countDown();
            hung.destroy();
        }
    }
}
