package dev.aar.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** When the starter turns Boot's Flyway integration off by default, and when it leaves the application's choice alone. */
class FlywayDefaultsTest {

    @TempDir
    Path dir;

    private final ClassLoader loader = getClass().getClassLoader();

    @Test
    void theFlywayOnThisClassPathIsOneBootCannotDrive() {
        // aar-jdbc's Flyway 13: FluentConfiguration.cleanOnValidationError, which Boot 3.5 calls, is gone
        assertThat(FlywayDefaults.bootCanDrive(loader)).isFalse();
    }

    @Test
    void anApplicationWithoutFlywayOfItsOwnGetsTheDefault() {
        StandardEnvironment environment = process(Map.of());
        assertThat(environment.getProperty(FlywayDefaults.ENABLED)).isEqualTo("false");
        // the lowest precedence: any other source the application adds later still wins
        assertThat(environment.getPropertySources().precedenceOf(environment.getPropertySources().get(FlywayDefaults.SOURCE)))
                .isEqualTo(environment.getPropertySources().size() - 1);
    }

    @Test
    void theApplicationsOwnSettingOrMigrationsAreLeftAlone() throws Exception {
        assertThat(process(Map.of(FlywayDefaults.ENABLED, "true")).getPropertySources().contains(FlywayDefaults.SOURCE)).isFalse();
        // migrations on the class path (aar-jdbc's own stand in for the application's here)
        assertThat(process(Map.of("spring.flyway.locations", "classpath:db/aar/{vendor}")).getPropertySources()
                .contains(FlywayDefaults.SOURCE)).isFalse();
        Files.createDirectories(dir.resolve("sql"));
        Files.writeString(dir.resolve("sql/V1__init.sql"), "create table t (id int);");
        assertThat(process(Map.of("spring.flyway.locations", "filesystem:" + dir.resolve("sql"))).getPropertySources()
                .contains(FlywayDefaults.SOURCE)).isFalse();
    }

    @Test
    void migrationsAreLookedForInEveryKindOfLocation() throws Exception {
        assertThat(FlywayDefaults.hasMigrations(new String[] {"classpath:db/migration"}, loader)).isFalse();
        assertThat(FlywayDefaults.hasMigrations(new String[] {"classpath:/db/aar/postgresql/"}, loader)).isTrue();
        assertThat(FlywayDefaults.hasMigrations(new String[] {"filesystem:" + dir.resolve("absent")}, loader)).isFalse();
        Files.createDirectories(dir.resolve("empty/nested"));
        assertThat(FlywayDefaults.hasMigrations(new String[] {"filesystem:" + dir.resolve("empty")}, loader)).isFalse();
        // a scheme this cannot look into (a cloud bucket, say) counts as migrations: better a loud start than none
        assertThat(FlywayDefaults.hasMigrations(new String[] {"s3:bucket/migrations"}, loader)).isTrue();
    }

    private StandardEnvironment process(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("application", properties));
        new FlywayDefaults(new DeferredLogs()).postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }
}
