package dev.aar.spring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Turns Spring Boot's own Flyway integration off, as the lowest-precedence default, when {@code aar-jdbc}
 * brought a Flyway onto the class path that Boot cannot drive and the application has no migrations of its own.
 *
 * <p>aar-jdbc migrates its tables itself (history table {@code aar_schema_history}). Flyway 12 removed
 * {@code FluentConfiguration.cleanOnValidationError}, which Boot 3.5's {@code FlywayAutoConfiguration} calls
 * as soon as a {@code DataSource} exists: without this default, a host that never used Flyway would fail to
 * start with a {@code NoSuchMethodError}. A host that sets {@code spring.flyway.enabled} decides itself; a host
 * with migrations under {@code spring.flyway.locations} is left alone (and warned), so its migrations never
 * stop running unnoticed. With a Flyway that Boot can drive (Boot's own managed version), nothing is changed.
 */
final class FlywayDefaults implements EnvironmentPostProcessor, Ordered {

    /** Name of the property source this adds; {@code /actuator/env} shows it. */
    static final String SOURCE = "aarFlywayDefaults";

    static final String ENABLED = "spring.flyway.enabled";

    private static final String DEFAULT_LOCATION = "classpath:db/migration";

    private final Log log;

    FlywayDefaults(DeferredLogFactory logs) {
        this.log = logs.getLog(FlywayDefaults.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        ClassLoader loader = application.getClassLoader();
        if (!ClassUtils.isPresent("dev.aar.jdbc.JdbcBackend", loader)
                || !ClassUtils.isPresent("org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration", loader)
                || !ClassUtils.isPresent("org.flywaydb.core.api.configuration.FluentConfiguration", loader)
                || bootCanDrive(loader) || environment.containsProperty(ENABLED)) {
            return;
        }
        String[] locations = environment.getProperty("spring.flyway.locations", String[].class, new String[] {DEFAULT_LOCATION});
        if (hasMigrations(locations, loader)) {
            log.warn("Flyway migrations found in " + String.join(",", locations) + ", but Spring Boot's Flyway integration"
                    + " cannot run the Flyway on the class path; define a Flyway bean that migrates them, or set "
                    + ENABLED + " (docs/spring-boot.md, 'Flyway')");
            return;
        }
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, Map.of(ENABLED, "false")));
        log.debug(ENABLED + "=false by default: aar-jdbc migrates its own tables, and the application has no Flyway"
                + " migrations that Spring Boot's Flyway integration would run");
    }

    /** Whether the Flyway on the class path still has the method Boot 3.5 calls (Flyway 11 and earlier). */
    static boolean bootCanDrive(ClassLoader loader) {
        Class<?> fluent = ClassUtils.resolveClassName("org.flywaydb.core.api.configuration.FluentConfiguration", loader);
        return ReflectionUtils.findMethod(fluent, "cleanOnValidationError", boolean.class) != null;
    }

    /** Whether any location holds a file: {@code classpath:} (any {@code {vendor}}) or {@code filesystem:}; any other scheme counts as yes. */
    static boolean hasMigrations(String[] locations, ClassLoader loader) {
        PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver(loader);
        for (String location : locations) {
            String trimmed = location.trim().replace("{vendor}", "*");
            try {
                if (trimmed.startsWith("classpath:")) {
                    String path = trimmed.substring("classpath:".length()).replaceAll("^/+|/+$", "");
                    for (Resource r : resolver.getResources("classpath*:" + path + "/**/*")) {
                        // the pattern matches folders too; a migration always has an extension (.sql, .class)
                        if (r.isReadable() && r.getFilename() != null && r.getFilename().contains(".")) {
                            return true;
                        }
                    }
                } else if (trimmed.startsWith("filesystem:")) {
                    Path dir = Path.of(trimmed.substring("filesystem:".length()));
                    if (Files.isDirectory(dir)) {
                        try (Stream<Path> files = Files.walk(dir)) {
                            if (files.anyMatch(Files::isRegularFile)) {
                                return true;
                            }
                        }
                    }
                } else {
                    return true;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot look for Flyway migrations in " + location, e);
            }
        }
        return false;
    }

    @Override
    public int getOrder() {
        // after Boot's own sources (application.properties included) are in place, so containsProperty sees them
        return Ordered.LOWEST_PRECEDENCE;
    }
}
