package dev.aar.spring;

import com.azure.storage.blob.BlobServiceClient;
import com.openai.client.OpenAIClient;
import dev.aar.azure.AzureBlobStore;
import dev.aar.azure.AzureBlobStoreConfig;
import dev.aar.azure.OpenAiEmbeddingConfig;
import dev.aar.azure.OpenAiEmbeddingProvider;
import dev.aar.core.Aar;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.Connections;
import dev.aar.core.event.ProgressListener;
import dev.aar.embedding.EmbeddingProvider;
import dev.aar.jdbc.JdbcBackend;
import dev.aar.storage.BlobStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Wires an {@link Aar} bean from the {@code aar.*} properties ({@link AarProperties}), with every
 * {@link ProgressListener} bean as a listener, the context's {@link MeterRegistry} for its meters, the
 * context's {@link BlobStore} and {@link EmbeddingProvider} (with {@code aar-azure}: Azure blobs and OpenAI
 * embeddings over the context's {@code BlobServiceClient} / {@code OpenAIClient}, or from the {@code Connections}
 * settings), the JDBC stores and queue over the
 * context's {@link DataSource} when {@code aar-jdbc} is present, a
 * {@link AarLifecycle} running workers and housekeeping, and the {@code aar} health indicator with
 * Actuator. Every bean backs off when the host defines its own.
 */
// after the auto-configurations whose beans it takes: the DataSource, the MeterRegistry, and Spring Cloud
// Azure's BlobServiceClient (5.x and later; an absent class is simply not ordered against)
@AutoConfiguration(afterName = {
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "com.azure.spring.cloud.autoconfigure.implementation.storage.blob.AzureStorageBlobAutoConfiguration"})
@ConditionalOnClass(Aar.class)
@EnableConfigurationProperties(AarProperties.class)
public class AarAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AarAutoConfiguration.class);

    /** Environment variable names as the spec writes them; only these can be ConfigLoader overrides. */
    private static final Pattern VARIABLE = Pattern.compile("[A-Z][A-Z0-9_]*");

    /** The configuration: {@code aar.config-file}, then the {@code aar.*} properties, then the environment overrides. */
    @Bean
    @ConditionalOnMissingBean
    public AarConfig aarConfig(AarProperties properties, Environment environment) {
        return AarConfigFactory.create(properties, variables(environment));
    }

    /** The SDK, closed (with everything it created, never the host's backends) when the context closes. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Aar aar(AarConfig config, AarProperties properties, ObjectProvider<ProgressListener> listeners,
            ObjectProvider<MeterRegistry> meterRegistry, ObjectProvider<BlobStore> blobStore,
            ObjectProvider<EmbeddingProvider> embeddingProvider, ObjectProvider<AarBuilderCustomizer> customizers) {
        Aar.Builder builder = Aar.builder().config(config);
        if (properties.getDataDirectory() != null) {
            builder.dataDirectory(properties.getDataDirectory());
        } else if (blobStore.getIfUnique() == null) {
            // fine for a trial; in production the stores (a database, say) would outlive the blobs they name
            log.warn("aar.data-directory is not set: uploaded archives, reports and the generated storage key are kept"
                    + " in a temporary directory that is deleted at shutdown");
        }
        meterRegistry.ifUnique(builder::meterRegistry);
        // the builder still puts the StoragePolicy and the pipelines around them (docs/embedding.md)
        blobStore.ifUnique(builder::blobStore);
        embeddingProvider.ifUnique(builder::embeddingProvider);
        listeners.orderedStream().forEach(builder::listener);
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return builder.build();
    }

    /** Runs workers and housekeeping from the context's start until its stop. */
    @Bean
    @ConditionalOnMissingBean
    public AarLifecycle aarLifecycle(Aar aar, AarProperties properties) {
        return new AarLifecycle(aar, properties.getWorkers().isEnabled(), properties.getHousekeeping().isEnabled());
    }

    /**
     * The variables {@code ConfigLoader} may apply, read through Spring's environment so that the process
     * environment (and, in tests, any property source) supplies them with Spring's precedence.
     */
    static Map<String, String> variables(Environment environment) {
        Map<String, String> variables = new HashMap<>();
        if (environment instanceof ConfigurableEnvironment configurable) {
            for (PropertySource<?> source : configurable.getPropertySources()) {
                if (source instanceof EnumerablePropertySource<?> enumerable) {
                    for (String name : enumerable.getPropertyNames()) {
                        if (VARIABLE.matcher(name).matches() && !variables.containsKey(name)) {
                            String value = environment.getProperty(name);
                            if (value != null) {
                                variables.put(name, value);
                            }
                        }
                    }
                }
            }
        }
        return variables;
    }

    /** The JDBC stores and queue over the host's {@link DataSource}, migrated to the latest schema at start. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JdbcBackend.class)
    @ConditionalOnSingleCandidate(DataSource.class)
    static class JdbcBackendConfiguration {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        JdbcBackend aarJdbcBackend(DataSource dataSource) {
            return JdbcBackend.create(dataSource);
        }

        @Bean
        AarBuilderCustomizer aarJdbcBuilderCustomizer(JdbcBackend backend) {
            return backend::applyTo;
        }

        @Bean
        @ConditionalOnMissingBean
        AarDatabaseProbe aarDatabaseProbe(JdbcBackend backend) {
            return () -> backend.database() + " schema v" + backend.schemaVersion();
        }
    }

    /**
     * Azure Blob Storage and OpenAI / Azure OpenAI embeddings, when {@code aar-azure} is present and the host has
     * no blob store or provider bean of its own: over the host's {@link BlobServiceClient} / {@link OpenAIClient}
     * bean if it has exactly one, else from the {@code Connections} settings (properties or the spec's variables).
     * Declaration order matters: a bean from the host's client makes the one from the settings back off.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"dev.aar.azure.AzureBlobStore", "com.azure.storage.blob.BlobServiceClient",
        "com.openai.client.OpenAIClient"})
    static class AzureConfiguration {

        /** The host's client keeps its credentials and HTTP settings; the container is {@code Connections.AzureStorageContainer}. */
        @Bean
        @ConditionalOnMissingBean(BlobStore.class)
        @ConditionalOnSingleCandidate(BlobServiceClient.class)
        AzureBlobStore aarAzureBlobStoreFromClient(BlobServiceClient client, AarConfig config) {
            String container = config.connections().azureStorageContainer();
            return AzureBlobStore.of(client.getBlobContainerClient(container),
                    AzureBlobStoreConfig.builder(null).container(container).build());
        }

        @Bean
        @ConditionalOnMissingBean(BlobStore.class)
        @Conditional(AzureStorageConfigured.class)
        AzureBlobStore aarAzureBlobStore(AarConfig config) {
            return AzureBlobStore.fromConfig(config);
        }

        /**
         * The host's client keeps its credentials; closing the provider leaves it open. Azure OpenAI (the deployment
         * sent as the model) when {@code Connections.AzureOpenAiDeployment} is set, else OpenAI with {@code EmbeddingModel}.
         */
        @Bean
        @ConditionalOnMissingBean(EmbeddingProvider.class)
        @ConditionalOnSingleCandidate(OpenAIClient.class)
        OpenAiEmbeddingProvider aarOpenAiEmbeddingProviderFromClient(OpenAIClient client, AarConfig config) {
            Connections c = config.connections();
            OpenAiEmbeddingConfig.Builder settings = c.azureOpenAiDeployment() != null
                    ? OpenAiEmbeddingConfig.forClient(OpenAiEmbeddingConfig.Service.AZURE_OPENAI).deployment(c.azureOpenAiDeployment())
                    : OpenAiEmbeddingConfig.forClient(OpenAiEmbeddingConfig.Service.OPENAI);
            return OpenAiEmbeddingProvider.of(client, settings.model(c.embeddingModel())
                    .costPerMillionTokens(config.embeddingProcessing().costPerMillionTokens()).build());
        }

        @Bean
        @ConditionalOnMissingBean(EmbeddingProvider.class)
        @Conditional(OpenAiConfigured.class)
        OpenAiEmbeddingProvider aarOpenAiEmbeddingProvider(AarConfig config) {
            return OpenAiEmbeddingProvider.fromConfig(config);
        }
    }

    /**
     * One of the given settings (a property or the spec's variable) has a value; blank counts as unset, as it
     * does for {@code ConfigLoader}, so that a deployment (or a test) can clear an inherited variable.
     */
    abstract static class SettingCondition extends SpringBootCondition {
        private final List<String> names;

        SettingCondition(String... names) {
            this.names = List.of(names);
        }

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            for (String name : names) {
                String value = context.getEnvironment().getProperty(name);
                if (value != null && !value.isBlank()) {
                    return ConditionOutcome.match(name + " is set");
                }
            }
            return ConditionOutcome.noMatch("none of " + names + " is set");
        }
    }

    /** An Azure Storage connection string is set as a property or as the spec's variable. */
    static final class AzureStorageConfigured extends SettingCondition {
        AzureStorageConfigured() {
            super("aar.connections.azure-storage-connection-string", "AZURE_STORAGE_CONNECTION_STRING");
        }
    }

    /** An Azure OpenAI endpoint or an OpenAI key is set as a property or as the spec's variable. */
    static final class OpenAiConfigured extends SettingCondition {
        OpenAiConfigured() {
            super("aar.connections.azure-open-ai-endpoint", "AZURE_OPENAI_ENDPOINT", "aar.connections.open-ai-api-key",
                    "OPENAI_API_KEY");
        }
    }

    /** The {@code aar} health indicator, with Actuator on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "aarHealthIndicator")
        AarHealthIndicator aarHealthIndicator(Aar aar, ObjectProvider<AarDatabaseProbe> database) {
            return new AarHealthIndicator(aar, database.getIfAvailable(), AarHealthIndicator.DEFAULT_CHECK_TIMEOUT);
        }
    }
}
