package dev.aar.spring.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.Aar;
import dev.aar.core.event.JobCompleted;
import dev.aar.core.testing.RequiredService;
import dev.aar.core.wiring.internal.Collaborators;
import dev.aar.jdbc.JdbcBackend;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The application of {@link AarSpringBootJdbcTest} on PostgreSQL (127.0.0.1:5432, a schema of its own): a real
 * review through the injected {@link Aar} leaves its project, job and report in that schema. Skipped when
 * PostgreSQL is unreachable, a failure under {@code CI=true}.
 */
@SpringBootTest(classes = {ReviewFixture.App.class, AarSpringBootPostgresTest.DropSchemaAtStop.class}, properties = {
        "aar.worker-processing.max-concurrent-jobs=1",
        "aar.embedding-processing.batch-size=16",
        "management.endpoint.health.show-details=always"})
@DirtiesContext
class AarSpringBootPostgresTest {

    static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    static final String SCHEMA = "aar_spring_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @BeforeAll
    static void createSchema() throws SQLException {
        RequiredService.requirePostgres();
        execute("CREATE SCHEMA " + SCHEMA);
    }

    @DynamicPropertySource
    static void dataSource(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> SERVER + "&currentSchema=" + SCHEMA);
    }

    @Autowired
    Aar aar;

    @Autowired
    ReviewFixture.CompletedJobs completed;

    @Autowired
    JdbcBackend db;

    @Autowired
    HealthEndpoint health;

    @Autowired
    ApplicationContext context;

    @Test
    void aReviewThroughTheInjectedAarIsKeptInTheApplicationsPostgresql() throws Exception {
        JobCompleted done = ReviewFixture.review(aar, completed);

        assertThat(db.database()).isEqualTo("postgresql");
        assertThat(Collaborators.of(aar).jobQueue()).isSameAs(db.jobQueue());
        assertThat(Collaborators.of(aar).projectStore()).isSameAs(db.projectStore());
        // looked up behind the SDK's back, in the schema of the application's DataSource
        assertThat(count("SELECT count(*) FROM " + SCHEMA + ".jobs WHERE CAST(id AS TEXT) = ? AND state = 'SUCCEEDED'", done.jobId())).isOne();
        assertThat(count("SELECT count(*) FROM " + SCHEMA + ".reports WHERE id = ?", done.reportId())).isOne();
        assertThat(count("SELECT count(*) FROM " + SCHEMA + ".projects WHERE owner_id = ?", "acme")).isOne();
    }

    @Test
    void aarsMigrationsRanAndBootsFlywayDidNot() throws Exception {
        assertThat(context.getBeanNamesForType(Flyway.class)).isEmpty();
        assertThat(count("SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?", SCHEMA,
                "aar_schema_history")).isOne();
        assertThat(count("SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?", SCHEMA,
                "flyway_schema_history")).isZero();
        Health aarHealth = (Health) health.healthForPath("aar");
        assertThat(aarHealth.getStatus()).isEqualTo(Status.UP);
        assertThat(aarHealth.getDetails().get("database").toString()).contains("postgresql schema v" + db.latestVersion());
    }

    private static long count(String sql, String... args) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /**
     * Drops the schema when the context stops, after the starter's workers (a lower phase stops later): an
     * {@code @AfterAll} would run while they still poll the queue.
     */
    static class DropSchemaAtStop implements SmartLifecycle {
        private volatile boolean running;

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop() {
            running = false;
            try {
                execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot drop " + SCHEMA, e);
            }
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return 0;
        }
    }
}
