package dev.aar.spring.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.Aar;
import dev.aar.core.event.JobCompleted;
import dev.aar.core.wiring.internal.Collaborators;
import dev.aar.jdbc.JdbcBackend;
import io.micrometer.core.instrument.MeterRegistry;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.test.annotation.DirtiesContext;

/**
 * {@link AarSpringBootTest} with {@code spring-boot-starter-jdbc} and {@code spring.datasource.url}: the
 * stores and queue are in the application's database (SQLite here), and the health checks it. No
 * {@code spring.flyway.*} property: Flyway 13 (from aar-jdbc) is on the class path, and the starter keeps
 * Boot's Flyway integration, which cannot drive it, out of the way.
 */
@SpringBootTest(classes = ReviewFixture.App.class, properties = {
        "aar.worker-processing.max-concurrent-jobs=1",
        "spring.datasource.url=jdbc:sqlite:target/aar-spring-boot-jdbc-test-${random.uuid}.db",
        "aar.embedding-processing.batch-size=16",
        "management.endpoint.health.show-details=always"})
@DirtiesContext
class AarSpringBootJdbcTest {

    @Autowired
    Aar aar;

    @Autowired
    ReviewFixture.CompletedJobs completed;

    @Autowired
    HealthEndpoint health;

    @Autowired
    MeterRegistry meters;

    @Autowired
    JdbcBackend db;

    @Autowired
    ApplicationContext context;

    @Test
    void aZipIsReviewedThroughTheInjectedAarAndTheListenerBeanHearsIt() throws Exception {
        JobCompleted done = ReviewFixture.review(aar, completed);

        // the SDK's meters are in the application's registry, where Actuator's /metrics finds them
        assertThat(aar.meterRegistry()).isSameAs(meters);
        assertThat(meters.find("aar.jobs.completed").counters()).isNotEmpty();
        assertThat(Collaborators.of(aar).jobQueue()).isSameAs(db.jobQueue());
        assertThat(db.jobQueue().find(done.jobId())).isPresent();
    }

    @Test
    void bootsFlywayIntegrationStepsAsideByADefaultTheApplicationCanSee() {
        assertThat(context.getBeanNamesForType(Flyway.class)).isEmpty();
        var sources = ((ConfigurableEnvironment) context.getEnvironment()).getPropertySources();
        assertThat(sources.get("aarFlywayDefaults")).isNotNull();
        assertThat(sources.get("aarFlywayDefaults").getProperty("spring.flyway.enabled")).isEqualTo("false");
    }

    @Test
    void actuatorReportsAarUp() {
        Health aarHealth = (Health) health.healthForPath("aar");
        assertThat(aarHealth.getStatus()).isEqualTo(Status.UP);
        assertThat(aarHealth.getDetails().get("database").toString()).contains("sqlite schema v");
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }
}
