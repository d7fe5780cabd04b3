package dev.aar.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.aar.azure.AzureBlobStore;
import dev.aar.azure.OpenAiEmbeddingProvider;
import dev.aar.core.Aar;
import dev.aar.core.testing.RequiredService;
import dev.aar.embedding.EmbeddingProvider;
import dev.aar.embedding.EmbeddingResult;
import dev.aar.core.embedding.ResilientEmbeddingProvider;
import dev.aar.core.resilience.OpenAiPipeline;
import dev.aar.core.resilience.ResilientBlobStore;
import dev.aar.core.storage.FileSystemBlobStore;
import dev.aar.core.storage.PolicyBlobStore;
import dev.aar.core.wiring.internal.Collaborators;
import dev.aar.storage.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Backends from the context: the host's BlobStore / EmbeddingProvider, its BlobServiceClient / OpenAIClient, or
 * Azure and OpenAI from the Connections settings. Embeddings go to a local fake; blobs to Azurite when reachable.
 */
class AarAzureAutoConfigurationTest {

    /** Azurite's well-known development account; not a secret. */
    private static final String AZURITE = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
            + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
            + "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;";

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

    @Test
    void aHostsBlobServiceClientBecomesTheAzureStoreAndWinsOverTheSettings() {
        BlobServiceClient client = new BlobServiceClientBuilder().connectionString(AZURITE).buildClient();
        runner().withBean(BlobServiceClient.class, () -> client)
                .withPropertyValues("aar.connections.azure-storage-connection-string=UseDevelopmentStorage=true",
                        "aar.connections.azure-storage-container=reviews")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBeanNamesForType(AzureBlobStore.class)).containsExactly("aarAzureBlobStoreFromClient");
                    AzureBlobStore store = context.getBean(AzureBlobStore.class);
                    assertThat(store).hasToString("AzureBlobStore[container=reviews]");
                    assertThat(Collaborators.of(context.getBean(Aar.class)).blobStore()).isInstanceOfSatisfying(PolicyBlobStore.class,
                            p -> assertThat(((ResilientBlobStore) p.delegate()).delegate()).isSameAs(store));
                });
        // two clients: the starter cannot choose, so it takes neither (and without settings makes no Azure store)
        BlobServiceClient other = new BlobServiceClientBuilder().connectionString(AZURITE).buildClient();
        runner().withBean("one", BlobServiceClient.class, () -> client).withBean("two", BlobServiceClient.class, () -> other)
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AzureBlobStore.class));
        // the host's own BlobStore wins over its client
        try (FileSystemBlobStore own = FileSystemBlobStore.open(dir.resolve("own"))) {
            runner().withBean(BlobServiceClient.class, () -> client).withBean(BlobStore.class, () -> own)
                    .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AzureBlobStore.class));
        }
    }

    @Test
    void onAzuriteTheHostsClientStoresTheSdksBlobsSealed() {
        RequiredService.requireAzurite();
        String container = "aar-starter-" + UUID.randomUUID().toString().substring(0, 13).replace("-", "");
        BlobServiceClient client = new BlobServiceClientBuilder().connectionString(AZURITE).buildClient();
        BlobContainerClient raw = client.getBlobContainerClient(container);
        try {
            runner().withBean(BlobServiceClient.class, () -> client)
                    .withPropertyValues("aar.connections.azure-storage-container=" + container).run(context -> {
                        assertThat(context).hasNotFailed();
                        BlobStore blobs = Collaborators.of(context.getBean(Aar.class)).blobStore();
                        byte[] text = "class Secret { String v = \"plain text\"; }".repeat(20).getBytes(StandardCharsets.UTF_8);
                        blobs.put("projects/p1/archive.zip", new ByteArrayInputStream(text));

                        assertThat(blobs.get("projects/p1/archive.zip").orElseThrow().readAllBytes()).isEqualTo(text);
                        // in the container through the host's client, and sealed by the StoragePolicy around it
                        ByteArrayOutputStream stored = new ByteArrayOutputStream();
                        raw.getBlobClient("projects/p1/archive.zip").downloadStream(stored);
                        assertThat(stored.size()).isPositive();
                        assertThat(stored.toString(StandardCharsets.ISO_8859_1)).doesNotContain("plain text");
                    });
        } finally {
            raw.deleteIfExists();
        }
    }

    @Test
    void aHostsOpenAiClientEmbedsThroughTheSdksPipelineAndStaysOpen() throws Exception {
        try (FakeEmbeddingsServer fake = new FakeEmbeddingsServer()) {
            OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(fake.baseUrl()).apiKey("sk-host-client").maxRetries(0).build();
            // the host's client wins over the spec's variable
            runner().withBean(OpenAIClient.class, () -> client).withPropertyValues("OPENAI_API_KEY=sk-from-the-environment")
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(context.getBeanNamesForType(OpenAiEmbeddingProvider.class))
                                .containsExactly("aarOpenAiEmbeddingProviderFromClient");
                        Aar aar = context.getBean(Aar.class);
                        assertThat(Collaborators.of(aar).embeddingProvider()).isInstanceOfSatisfying(ResilientEmbeddingProvider.class,
                                r -> assertThat(r.pipeline()).isSameAs(aar.pipelines().get(OpenAiPipeline.NAME)));

                        EmbeddingResult result = Collaborators.of(aar).embeddingProvider().embed(List.of("hello", "abc"));

                        assertThat(result.vectors()).hasSize(2);
                        assertThat(result.vectors().get(0)).hasSize(FakeEmbeddingsServer.DIMENSIONS).startsWith(5f);
                        assertThat(result.vectors().get(1)).startsWith(3f);
                        assertThat(fake.seen).singleElement().satisfies(seen -> {
                            assertThat(seen.path()).isEqualTo("/v1/embeddings");
                            assertThat(seen.authorization()).isEqualTo("Bearer sk-host-client");
                            assertThat(seen.body().get("model").asText()).isEqualTo("text-embedding-3-small");
                        });
                    });
            // the context (and the provider) closed, the host's client still works
            assertThat(client.embeddings().create(EmbeddingCreateParams.builder().model("m").inputOfArrayOfStrings(List.of("after")).build()).data())
                    .hasSize(1);

            // an Azure deployment name is what goes out as the model
            runner().withBean(OpenAIClient.class, () -> client)
                    .withPropertyValues("aar.connections.azure-open-ai-deployment=embeddings-eu").run(context -> {
                        Collaborators.of(context.getBean(Aar.class)).embeddingProvider().embed(List.of("x"));
                        assertThat(fake.seen.get(fake.seen.size() - 1).body().get("model").asText()).isEqualTo("embeddings-eu");
                    });
            client.close();
        }
    }

    @Test
    void openAiPropertiesEmbedThroughTheSdksPipeline() throws Exception {
        try (FakeEmbeddingsServer fake = new FakeEmbeddingsServer()) {
            runner().withPropertyValues("aar.connections.open-ai-api-key=sk-from-properties",
                    "aar.connections.open-ai-base-url=" + fake.baseUrl(), "aar.connections.embedding-model=text-embedding-3-small",
                    "aar.embedding-processing.cost-per-million-tokens=0.13").run(context -> {
                        assertThat(context).hasNotFailed();
                        OpenAiEmbeddingProvider provider = context.getBean(OpenAiEmbeddingProvider.class);
                        assertThat(provider.model().costPerMillionTokens()).isEqualTo(0.13);
                        assertThat(provider.toString()).doesNotContain("sk-from-properties");

                        EmbeddingResult result = Collaborators.of(context.getBean(Aar.class)).embeddingProvider().embed(List.of("abcd"));

                        assertThat(result.vectors()).singleElement().satisfies(v -> assertThat(v).startsWith(4f));
                        assertThat(fake.seen).singleElement().satisfies(seen -> {
                            assertThat(seen.authorization()).isEqualTo("Bearer sk-from-properties");
                            assertThat(seen.body().get("model").asText()).isEqualTo("text-embedding-3-small");
                        });
                    });
        }
    }

    @Test
    void theHostsEmbeddingProviderWinsOverItsOpenAiClient() {
        EmbeddingProvider own = dev.aar.core.embedding.OfflineEmbeddingProvider.create();
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:9/v1").apiKey("k").build();
        runner().withBean(OpenAIClient.class, () -> client).withBean(EmbeddingProvider.class, () -> own).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(OpenAiEmbeddingProvider.class);
            assertThat(((ResilientEmbeddingProvider) Collaborators.of(context.getBean(Aar.class)).embeddingProvider()).delegate()).isSameAs(own);
        });
        client.close();
        // without openai-java (aar-azure without it) neither OpenAI bean is made
        runner().withClassLoader(new FilteredClassLoader(OpenAIClient.class)).withPropertyValues("OPENAI_API_KEY=k")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(OpenAiEmbeddingProvider.class));
    }
}
