package dev.aar.spring.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.Aar;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

/**
 * A Spring Boot application with the starter, Actuator and a few {@code aar.*} properties and no other
 * wiring: a zip goes through a real review on the injected {@link Aar}, a listener bean hears it finish,
 * and Actuator reports {@code aar} UP.
 */
@SpringBootTest(classes = ReviewFixture.App.class, properties = {
        "aar.worker-processing.max-concurrent-jobs=1",
        "aar.embedding-processing.batch-size=16",
        "management.endpoint.health.show-details=always",
        // the application of the issue: web and actuator, no database (the test class path has spring-boot-starter-jdbc)
        "spring.autoconfigure.exclude=org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration"})
@DirtiesContext
class AarSpringBootTest {

    @Autowired
    Aar aar;

    @Autowired
    ReviewFixture.CompletedJobs completed;

    @Autowired
    HealthEndpoint health;

    @Autowired
    MeterRegistry meters;

    @Test
    void aZipIsReviewedThroughTheInjectedAarAndTheListenerBeanHearsIt() throws Exception {
        ReviewFixture.review(aar, completed);

        // the SDK's meters are in the application's registry, where Actuator's /metrics finds them
        assertThat(aar.meterRegistry()).isSameAs(meters);
        assertThat(meters.find("aar.jobs.completed").counters()).isNotEmpty();
    }

    @Test
    void actuatorReportsAarUp() {
        assertThat(health.healthForPath("aar").getStatus()).isEqualTo(Status.UP);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }
}
