package dev.aar.examples.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.azure.OpenAiEmbeddingProvider;
import dev.aar.core.Aar;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.Connections;
import dev.aar.core.embedding.ResilientEmbeddingProvider;
import dev.aar.core.resilience.OpenAiPipeline;
import dev.aar.core.resilience.ResilientBlobStore;
import dev.aar.core.storage.FileSystemBlobStore;
import dev.aar.core.storage.PolicyBlobStore;
import dev.aar.core.wiring.internal.Collaborators;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick-start wiring leaves the layers to the builder: each backend ends up wrapped exactly once. */
class BackendsTest {

    @TempDir
    Path data;

    @Test
    void theServersBlobStoreAndOpenAiProviderAreWrappedOnce() {
        AarConfig config = AarConfig.defaults().toBuilder()
                .connections(Connections.builder().openAiApiKey("sk-test-not-used").build()).build();
        Aar.Builder builder = Aar.builder().config(config).dataDirectory(data);
        Backends.Choice choice = Backends.apply(builder, config, data, null, new SimpleMeterRegistry());

        try (Aar aar = builder.build()) {
            assertThat(choice.storagePolicy()).contains("AES-256-GCM");
            assertThat(Collaborators.of(aar).blobStore()).isInstanceOfSatisfying(PolicyBlobStore.class, policy -> {
                assertThat(policy.encrypts()).isTrue();
                assertThat(policy.delegate()).isInstanceOfSatisfying(ResilientBlobStore.class,
                        r -> assertThat(r.delegate()).isInstanceOf(FileSystemBlobStore.class));
            });
            assertThat(Collaborators.of(aar).embeddingProvider()).isInstanceOfSatisfying(ResilientEmbeddingProvider.class, r -> {
                assertThat(r.delegate()).isInstanceOf(OpenAiEmbeddingProvider.class);
                assertThat(r.pipeline()).isSameAs(aar.pipelines().get(OpenAiPipeline.NAME));
            });
        }
    }
}
