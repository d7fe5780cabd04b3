package dev.aar.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.aar.core.Aar;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.ScaleLimits;
import dev.aar.core.config.WorkerProcessing;
import dev.aar.core.error.ConfigException;
import dev.aar.core.event.ProgressListener;
import dev.aar.core.wiring.internal.Collaborators;
import dev.aar.jdbc.JdbcBackend;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/** Every condition of {@link AarAutoConfiguration}, each in a fresh context. */
class AarAutoConfigurationTest {

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AarAutoConfiguration.class))
            // the lifecycle test turns them on; elsewhere no threads are needed
            .withPropertyValues("aar.workers.enabled=false", "aar.housekeeping.enabled=false");

    @Test
    void relaxedPropertiesReachEverySectionThroughTheBuilders() {
        runner.withPropertyValues("aar.data-directory=" + dir, "aar.scale-limits.max-upload-size-mb=100",
                "aar.scale-limits.excluded-directories=vendor,dist", "aar.embedding-processing.batch-size=7",
                "aar.embeddingProcessing.tokenEncoding=o200k_base", "aar.worker-processing.max-concurrent-jobs=2",
                "aar.worker-processing.shutdown-grace-seconds=5", "aar.storage-policy.encryption-enabled=false",
                "aar.resumable-upload.session-expiration-minutes=15").run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(Aar.class).hasSingleBean(AarConfig.class);
                    AarConfig config = context.getBean(Aar.class).config();
                    assertThat(config).isSameAs(context.getBean(AarConfig.class));
                    assertThat(config.scaleLimits().maxUploadSizeMb()).isEqualTo(100);
                    assertThat(config.scaleLimits().excludedDirectories()).containsExactly("vendor", "dist");
                    assertThat(config.scaleLimits().maxFilesPerProject()).isEqualTo(ScaleLimits.DEFAULT_MAX_FILES_PER_PROJECT);
                    assertThat(config.embeddingProcessing().batchSize()).isEqualTo(7);
                    assertThat(config.embeddingProcessing().tokenEncoding()).isEqualTo("o200k_base");
                    assertThat(config.workerProcessing().maxConcurrentJobs()).isEqualTo(2);
                    assertThat(config.workerProcessing().shutdownGraceSeconds()).isEqualTo(5);
                    assertThat(config.storagePolicy().encryptionEnabled()).isFalse();
                    assertThat(config.resumableUpload().sessionExpirationMinutes()).isEqualTo(15);
                    assertThat(Files.isDirectory(dir.resolve("blobs"))).isTrue();
                });
    }

    @Test
    void aRefusedValueFailsTheContextWithAarConfigsOwnMessage() {
        String expected = catchThrowable(() -> WorkerProcessing.builder().maxConcurrentJobs(0).build()).getMessage();
        runner.withPropertyValues("aar.worker-processing.max-concurrent-jobs=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(configException(context.getStartupFailure())).isInstanceOf(ConfigException.class).hasMessage(expected);
        });
        // a cross-section check too: more parts than MaxPartsPerUpload allows
        runner.withPropertyValues("aar.scale-limits.max-upload-size-mb=1000", "aar.resumable-upload.max-parts-per-upload=10")
                .run(context -> assertThat(configException(context.getStartupFailure())).isInstanceOf(ConfigException.class)
                        .hasMessageContaining("ScaleLimits.MaxUploadSizeMb = 1000")
                        .hasMessageContaining("ResumableUpload.MaxPartsPerUpload = 10"));
    }

    @Test
    void theConfigFileLoadsFirstPropertiesWinOverItAndTheSpecsVariablesWinOverBoth() throws Exception {
        Path file = dir.resolve("appsettings.json");
        Files.writeString(file, """
                { "Logging": { "LogLevel": { "Default": "Information" } },
                  "EmbeddingProcessing": { "BatchSize": 9, "MaxConcurrency": 2 },
                  "WorkerProcessing": { "MaxConcurrentJobs": 4, "MaxRetryAttempts": 1 } }
                """);
        runner.withPropertyValues("aar.config-file=" + file, "aar.embedding-processing.batch-size=11",
                "aar.worker-processing.max-concurrent-jobs=5", "AAR_MAX_CONCURRENT_JOBS=6").run(context -> {
                    AarConfig config = context.getBean(AarConfig.class);
                    assertThat(config.embeddingProcessing().batchSize()).isEqualTo(11);
                    assertThat(config.embeddingProcessing().maxConcurrency()).isEqualTo(2);
                    assertThat(config.workerProcessing().maxRetryAttempts()).isEqualTo(1);
                    assertThat(config.workerProcessing().maxConcurrentJobs()).isEqualTo(6);
                });
        // a refused variable names itself, as ConfigLoader says it
        runner.withPropertyValues("AAR_MAX_CONCURRENT_JOBS=lots").run(context -> assertThat(
                configException(context.getStartupFailure())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("environment variable AAR_MAX_CONCURRENT_JOBS"));
        // a missing file is ConfigLoader's error as well
        runner.withPropertyValues("aar.config-file=" + dir.resolve("absent.json")).run(context -> assertThat(
                configException(context.getStartupFailure())).isInstanceOf(ConfigException.class).hasMessageContaining("does not exist"));
    }

    @Test
    void everyListenerBeanIsRegisteredInOrderAndTheContextsMeterRegistryIsUsed() {
        runner.withUserConfiguration(Listeners.class).run(context -> {
            Aar aar = context.getBean(Aar.class);
            assertThat(Collaborators.of(aar).listeners()).containsExactly(context.getBean("first", ProgressListener.class),
                    context.getBean("second", ProgressListener.class));
            assertThat(aar.meterRegistry()).isSameAs(context.getBean(MeterRegistry.class));
            assertThat(context.getBean(MeterRegistry.class).find("aar.queue.length").meters()).isNotEmpty();
        });
    }

    @Test
    void customizerBeansChangeTheBuilderInOrder() {
        ProgressListener fromCustomizer = e -> { };
        runner.withBean("late", AarBuilderCustomizer.class, () -> b -> b.workDirectory(dir.resolve("late")))
                .withBean("listening", AarBuilderCustomizer.class, () -> b -> b.listener(fromCustomizer))
                .run(context -> assertThat(Collaborators.of(context.getBean(Aar.class)).listeners()).containsExactly(fromCustomizer));
    }

    @Test
    void theHostsOwnBeansWin() {
        AarConfig own = AarConfig.defaults().toBuilder()
                .workerProcessing(WorkerProcessing.builder().maxConcurrentJobs(9).build()).build();
        runner.withBean(AarConfig.class, () -> own).run(context ->
                assertThat(context.getBean(Aar.class).config()).isSameAs(own));
        try (Aar mine = Aar.builder().dataDirectory(dir).build()) {
            runner.withBean(Aar.class, () -> mine).run(context -> {
                assertThat(context).hasSingleBean(Aar.class);
                assertThat(context.getBean(Aar.class)).isSameAs(mine);
                assertThat(context.getBean(AarLifecycle.class)).isNotNull();
            });
        }
        runner.withBean("aarHealthIndicator", HealthIndicator.class, () -> () -> org.springframework.boot.actuate.health.Health.up().build())
                .run(context -> assertThat(context).doesNotHaveBean(AarHealthIndicator.class));
    }

    @Test
    void aDataSourceBeanPutsTheStoresAndQueueInTheDatabase() {
        runner.withBean(DataSource.class, () -> sqlite(dir.resolve("aar.db"))).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(JdbcBackend.class);
            Aar aar = context.getBean(Aar.class);
            JdbcBackend db = context.getBean(JdbcBackend.class);
            assertThat(Collaborators.of(aar).jobQueue()).isSameAs(db.jobQueue());
            assertThat(Collaborators.of(aar).projectStore()).isSameAs(db.projectStore());
            assertThat(Collaborators.of(aar).quotaStore()).isSameAs(db.quotaStore());
            var health = context.getBean(AarHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails().get("database")).asInstanceOf(InstanceOfAssertFactories.MAP)
                    .containsEntry("status", "UP").containsEntry("detail", "sqlite schema v" + db.latestVersion());
        });
    }

    @Test
    void withoutADataSourceOrWithoutAarJdbcTheEmbeddedDefaultsAreUsed() {
        runner.run(context -> {
            assertThat(context).doesNotHaveBean(JdbcBackend.class);
            assertThat(Collaborators.of(context.getBean(Aar.class)).jobQueue().getClass().getSimpleName()).isEqualTo("InMemoryJobQueue");
            assertThat(context.getBean(AarHealthIndicator.class).health().getDetails().get("database"))
                    .asInstanceOf(InstanceOfAssertFactories.MAP).containsEntry("detail", "no database: stores are in memory");
        });
        runner.withClassLoader(new FilteredClassLoader(JdbcBackend.class))
                .withBean(DataSource.class, () -> sqlite(dir.resolve("unused.db"))).run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(JdbcBackend.class);
                    assertThat(Collaborators.of(context.getBean(Aar.class)).jobQueue().getClass().getSimpleName()).isEqualTo("InMemoryJobQueue");
                });
    }

    @Test
    void withoutActuatorThereIsNoHealthIndicator() {
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Aar.class).doesNotHaveBean(AarHealthIndicator.class);
        });
    }

    @Test
    void workersAndHousekeepingRunWithTheContextUnlessDisabled() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AarAutoConfiguration.class)).run(context -> {
            AarLifecycle lifecycle = context.getBean(AarLifecycle.class);
            assertThat(lifecycle.isRunning()).isTrue();
            assertThat(lifecycle.workers()).isNotNull();
            assertThat(lifecycle.housekeeping()).isNotNull();
            context.close();
            assertThat(lifecycle.isRunning()).isFalse();
            assertThat(lifecycle.workers()).isNull();
        });
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AarAutoConfiguration.class))
                .withPropertyValues("aar.workers.enabled=false").run(context -> {
                    AarLifecycle lifecycle = context.getBean(AarLifecycle.class);
                    assertThat(lifecycle.workers()).isNull();
                    assertThat(lifecycle.housekeeping()).isNotNull();
                });
    }

    /** The outermost ConfigException in the start-up failure's causes: the SDK's own, under Spring's wrappers. */
    private static Throwable configException(Throwable failure) {
        assertThat(failure).as("the context failed").isNotNull();
        for (Throwable c = failure; c != null; c = c.getCause()) {
            if (c instanceof ConfigException) {
                return c;
            }
        }
        return failure;
    }

    private static DataSource sqlite(Path file) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:sqlite:" + file);
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }

    @Configuration(proxyBeanMethods = false)
    static class Listeners {
        @Bean
        @Order(2)
        ProgressListener second() {
            return e -> { };
        }

        @Bean
        @Order(1)
        ProgressListener first() {
            return e -> { };
        }

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
