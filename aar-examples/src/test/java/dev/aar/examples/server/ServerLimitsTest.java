package dev.aar.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;

/** The limits' defaults, their validation, and the bounded thread pool they give Jetty. */
class ServerLimitsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        ServerLimits d = ServerLimits.defaults();
        assertThat(d.maxJsonBytes()).isEqualTo(1024 * 1024);
        assertThat(d.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.minRequestDataRate()).isEqualTo(8192);
        assertThat(d.dataRateGrace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.maxThreads()).isEqualTo(200);
        assertThat(d.maxQueuedRequests()).isEqualTo(1000);
        assertThat(d.maxUploadsPerKey()).isEqualTo(8);
        assertThat(d.maxExpensivePerOrganization()).isEqualTo(2);
        assertThat(d.expensiveTimeBudget()).isEqualTo(Duration.ofMinutes(2));
        assertThat(d.retryAfterSeconds()).isEqualTo(5);
        assertThat(d.toBuilder().build()).isEqualTo(d);
    }

    @Test
    void aValueOutOfRangeIsRefusedByName() {
        assertThatThrownBy(() -> ServerLimits.builder().maxUploadsPerKey(0).build())
                .hasMessage("maxUploadsPerKey must be > 0, was 0");
        assertThatThrownBy(() -> ServerLimits.builder().minRequestDataRate(-1).build())
                .hasMessageContaining("minRequestDataRate must be >= 0");
        assertThatThrownBy(() -> ServerLimits.builder().idleTimeout(Duration.ZERO).build())
                .hasMessageContaining("idleTimeout must be > 0");
        assertThatThrownBy(() -> ServerLimits.builder().maxThreads(4).build())
                .hasMessage("maxThreads must be >= 16, was 4");
    }

    @Test
    void jettyGetsABoundedPoolWithABoundedQueue() throws Exception {
        QueuedThreadPool pool = AarServer.threadPool(ServerLimits.builder().maxThreads(32).maxQueuedRequests(100).build());
        pool.start();
        try {
            assertThat(pool.getMaxThreads()).isEqualTo(32);
            assertThat(pool.getQueueSize()).isZero();
            assertThat(pool.getMaxAvailableThreads()).isLessThanOrEqualTo(32);
            // the queue is protected in Jetty's pool; its bound is what matters here
            java.lang.reflect.Method queue = QueuedThreadPool.class.getDeclaredMethod("getQueue");
            queue.setAccessible(true);
            assertThat(queue.invoke(pool)).isInstanceOfSatisfying(org.eclipse.jetty.util.BlockingArrayQueue.class,
                    q -> assertThat(q.getMaxCapacity()).isEqualTo(100));
        } finally {
            pool.stop();
        }
    }
}
