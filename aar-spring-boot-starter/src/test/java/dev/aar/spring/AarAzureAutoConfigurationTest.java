package dev.aar.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.azure.AzureBlobStore;
import dev.aar.azure.OpenAiEmbeddingProvider;
import dev.aar.core.Aar;
import dev.aar.core.embedding.ResilientEmbeddingProvider;
import dev.aar.core.resilience.OpenAiPipeline;
import dev.aar.core.resilience.ResilientBlobStore;
import dev.aar.core.storage.FileSystemBlobStore;
import dev.aar.core.storage.PolicyBlobStore;
import dev.aar.core.wiring.internal.Collaborators;
import dev.aar.storage.BlobStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Backends from the context: the host's beans, or Azure and OpenAI from the Connections settings; nothing connects here. */
class AarAzureAutoConfigurationTest {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AarAutoConfiguration.class))
                .withPropertyValues("aar.workers.enabled=false", "aar.housekeeping.enabled=false", "aar.data-directory=" + dir);
    }

    @Test
    void connectionSettingsBringAzureBlobsAndOpenAiEmbeddingsInsideTheSdksLayers() {
        runner().withPropertyValues("aar.connections.azure-storage-connection-string=UseDevelopmentStorage=true",
                "aar.connections.azure-storage-container=reviews", "OPENAI_API_KEY=sk-test-not-used",
                "aar.connections.open-ai-base-url=http://127.0.0.1:9/v1").run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(AzureBlobStore.class)
                            .hasSingleBean(OpenAiEmbeddingProvider.class);
                    Aar aar = context.getBean(Aar.class);
                    assertThat(Collaborators.of(aar).blobStore()).isInstanceOfSatisfying(PolicyBlobStore.class,
                            p -> assertThat(p.delegate()).isInstanceOfSatisfying(ResilientBlobStore.class,
                                    r -> assertThat(r.delegate()).isSameAs(context.getBean(AzureBlobStore.class))));
                    assertThat(Collaborators.of(aar).embeddingProvider()).isInstanceOfSatisfying(ResilientEmbeddingProvider.class, r -> {
                        assertThat(r.delegate()).isSameAs(context.getBean(OpenAiEmbeddingProvider.class));
                        assertThat(r.pipeline()).isSameAs(aar.pipelines().get(OpenAiPipeline.NAME));
                    });
                });
    }

    @Test
    void withoutSettingsOrWithoutAarAzureTheEmbeddedDefaultsAreUsed() {
        runner().run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AzureBlobStore.class)
                .doesNotHaveBean(OpenAiEmbeddingProvider.class));
        // blank is unset, as for ConfigLoader: a deployment can clear an inherited variable
        runner().withPropertyValues("OPENAI_API_KEY= ", "AZURE_STORAGE_CONNECTION_STRING=").run(context -> assertThat(context)
                .hasNotFailed().doesNotHaveBean(AzureBlobStore.class).doesNotHaveBean(OpenAiEmbeddingProvider.class));
        runner().withClassLoader(new FilteredClassLoader(AzureBlobStore.class))
                .withPropertyValues("aar.connections.azure-storage-connection-string=UseDevelopmentStorage=true")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(BlobStore.class));
    }

    @Test
    void theHostsBlobStoreBeanWinsAndIsSealedByTheBuilder() {
        try (FileSystemBlobStore own = FileSystemBlobStore.open(dir.resolve("own"))) {
            runner().withBean(BlobStore.class, () -> own)
                    .withPropertyValues("aar.connections.azure-storage-connection-string=UseDevelopmentStorage=true")
                    .run(context -> {
                        assertThat(context).doesNotHaveBean(AzureBlobStore.class);
                        assertThat(Collaborators.of(context.getBean(Aar.class)).blobStore()).isInstanceOfSatisfying(PolicyBlobStore.class,
                                p -> assertThat(((ResilientBlobStore) p.delegate()).delegate()).isSameAs(own));
                    });
        }
    }
}
