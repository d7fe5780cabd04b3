package dev.aar.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.aar.azure.FakeOpenAiServer.Embeddings;
import dev.aar.azure.FakeOpenAiServer.Hang;
import dev.aar.azure.FakeOpenAiServer.Request;
import dev.aar.azure.FakeOpenAiServer.Status;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.aar.azure.OpenAiEmbeddingConfig.VectorEncoding;
import dev.aar.core.error.ConfigException;
import dev.aar.core.config.AarConfig;
import dev.aar.core.config.Connections;
import dev.aar.core.config.EmbeddingProcessing;
import dev.aar.embedding.EmbeddingModel;
import dev.aar.embedding.EmbeddingProviderException;
import dev.aar.embedding.EmbeddingResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import dev.aar.embedding.EmbeddingProviderContract.CountingSlot;
import org.junit.jupiter.api.Test;

/** {@link OpenAiEmbeddingProvider} through the real openai-java client against a local embeddings server. */
class OpenAiEmbeddingProviderTest extends FakeServerProviderTest {

    OpenAiEmbeddingProvider openAi(VectorEncoding encoding) {
        return openAi(encoding, Duration.ofSeconds(5));
    }

    static List<String> texts(int n) {
        return IntStream.range(0, n).mapToObj(i -> "chunk number " + i + " of some source file").toList();
    }

    @Test
    void embedsABatchInOneRequestWithBase64VectorsInInputOrder() {
        server.reverseOrder = true;
        List<String> inputs = texts(100);

        EmbeddingResult result = openAi(VectorEncoding.BASE64).embed(inputs);

        assertThat(server.requests()).hasSize(1);
        Request request = server.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/embeddings");
        assertThat(request.headers()).containsEntry("authorization", "Bearer " + KEY);
        assertThat(request.body().get("model").asText()).isEqualTo("text-embedding-3-small");
        assertThat(request.body().get("encoding_format").asText()).isEqualTo("base64");
        assertThat(request.body().has("dimensions")).isFalse();
        assertThat(request.inputs()).isEqualTo(inputs);
        assertThat(result.vectors()).hasSize(100);
        for (int i = 0; i < inputs.size(); i++) {
            assertThat(result.vectors().get(i)).as("vector %d", i)
                    .containsExactly(FakeOpenAiServer.vectorFor(inputs.get(i), 1536));
        }
        assertThat(result.tokensUsed())
                .isEqualTo(inputs.stream().mapToLong(FakeOpenAiServer::tokensFor).sum());
    }

    @Test
    void warmingUpSendsNothingAndLeavesTheProviderWorking() {
        int sent = 0;
        for (VectorEncoding encoding : VectorEncoding.values()) {
            OpenAiEmbeddingProvider provider = openAi(encoding);
            provider.warmUp(); // creating it started one already; a second is as harmless

            assertThat(server.requests()).hasSize(sent);
            assertThat(provider.embed(texts(2)).vectors()).hasSize(2);
            assertThat(server.requests()).hasSize(++sent);
        }
    }

    @Test
    void embedsWithFloatVectors() {
        List<String> inputs = List.of("alpha", "beta gamma");

        EmbeddingResult result = openAi(VectorEncoding.FLOAT).embed(inputs);

        assertThat(server.requests().get(0).body().get("encoding_format").asText()).isEqualTo("float");
        assertThat(result.vectors().get(0)).containsExactly(FakeOpenAiServer.vectorFor("alpha", 1536));
        assertThat(result.vectors().get(1)).containsExactly(FakeOpenAiServer.vectorFor("beta gamma", 1536));
        assertThat(result.tokensUsed()).isEqualTo(3);
    }

    @Test
    void reportsTheModelAndItsLimits() {
        EmbeddingModel model = openAi(VectorEncoding.BASE64).model();
        assertThat(model).isEqualTo(new EmbeddingModel("text-embedding-3-small", 1536, 8192, 2048, 300_000,
                EmbeddingProcessing.DEFAULT_COST_PER_MILLION_TOKENS));
    }

    @Test
    void shorterVectorsAreRequestedWithDimensions() {
        provider = OpenAiEmbeddingProvider.create(OpenAiEmbeddingConfig.openAi(KEY).baseUrl(server.url("/v1"))
                .dimensions(256).build());
        EmbeddingResult result = provider.embed(List.of("x"));
        assertThat(server.requests().get(0).body().get("dimensions").asInt()).isEqualTo(256);
        assertThat(result.vectors().get(0)).hasSize(256);
        assertThat(provider.model().dimensions()).isEqualTo(256);
    }

    @Test
    void refusesBatchesOutsideTheLimitsWithoutCallingTheApi() {
        OpenAiEmbeddingProvider p = openAi(VectorEncoding.BASE64);
        assertThatThrownBy(() -> p.embed(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> p.embed(texts(2049))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1..2048");
        assertThatThrownBy(() -> p.embed(List.of("a", ""))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input 1 is empty");
        assertThat(server.requests()).isEmpty();
        assertThat(p.embed(texts(2048)).vectors()).hasSize(2048);
    }

    @Test
    void azureUsesTheDeploymentUrlApiVersionAndApiKeyHeader() {
        provider = OpenAiEmbeddingProvider.create(OpenAiEmbeddingConfig.azure(server.url("/"), KEY, "my-embeddings")
                .apiVersion("2024-06-01").build());

        EmbeddingResult result = provider.embed(List.of("hello world"));

        Request request = server.requests().get(0);
        assertThat(request.path()).isEqualTo("/openai/deployments/my-embeddings/embeddings");
        assertThat(request.query()).isEqualTo("api-version=2024-06-01");
        assertThat(request.headers()).containsEntry("api-key", KEY).doesNotContainKey("authorization");
        assertThat(result.vectors().get(0)).containsExactly(FakeOpenAiServer.vectorFor("hello world", 1536));
        assertThat(result.tokensUsed()).isEqualTo(2);
    }

    @Test
    void aRejectedKeyIsANonTransientErrorThatNamesTheSettingButNotTheKey() {
        server.then(new Status(401, Map.of(), "{\"error\":{\"message\":\"Incorrect API key provided: sk-test-01***cdef."
                + "\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));

        EmbeddingProviderException e = catchThrowableOfType(EmbeddingProviderException.class,
                () -> openAi(VectorEncoding.BASE64).embed(List.of("x")));

        assertThat(e.statusCode()).isEqualTo(401);
        assertThat(e.isTransient()).isFalse();
        assertThat(e.getMessage()).contains("rejected the API key", "OPENAI_API_KEY", "invalid_api_key")
                .doesNotContain(KEY).doesNotContain("sk-test-01");
        // nothing of the client's own exception is attached: the cause is BackendException's IOException of the message alone
        assertThat(e.getCause()).isInstanceOf(java.io.IOException.class).hasNoCause().hasMessage(e.getMessage());
        assertThat(server.requests()).as("the client itself never retries").hasSize(1);
    }

    @Test
    void rateLimitingCarriesRetryAfterInSecondsMillisecondsOrAsADate() {
        OpenAiEmbeddingProvider p = openAi(VectorEncoding.BASE64);
        String inTwoMinutes = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusMinutes(2));
        server.then(new Status(429, Map.of("Retry-After", "7"), "{\"error\":{\"message\":\"Rate limit reached\"}}"),
                new Status(429, Map.of("retry-after-ms", "1500", "Retry-After", "2"), "{}"),
                new Status(503, Map.of("Retry-After", inTwoMinutes), ""));

        EmbeddingProviderException seconds = catchThrowableOfType(EmbeddingProviderException.class,
                () -> p.embed(List.of("x")));
        EmbeddingProviderException millis = catchThrowableOfType(EmbeddingProviderException.class,
                () -> p.embed(List.of("x")));
        EmbeddingProviderException date = catchThrowableOfType(EmbeddingProviderException.class,
                () -> p.embed(List.of("x")));

        assertThat(seconds.statusCode()).isEqualTo(429);
        assertThat(seconds.isTransient()).isTrue();
        assertThat(seconds.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(seconds.getMessage()).contains("rate-limiting", "Rate limit reached");
        assertThat(millis.retryAfter()).contains(Duration.ofMillis(1500));
        assertThat(date.statusCode()).isEqualTo(503);
        assertThat(date.retryAfter()).get().satisfies(d -> assertThat(d).isBetween(Duration.ofSeconds(60),
                Duration.ofSeconds(121)));
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void serverErrorsAreTransientAndNotRetriedByTheClient() {
        server.then(new Status(500, Map.of(), "{\"error\":{\"message\":\"The server had an error\"}}"));

        EmbeddingProviderException e = catchThrowableOfType(EmbeddingProviderException.class,
                () -> openAi(VectorEncoding.BASE64).embed(List.of("x")));

        assertThat(e.statusCode()).isEqualTo(500);
        assertThat(e.isTransient()).isTrue();
        assertThat(e.retryAfter()).isEmpty();
        assertThat(server.requests()).hasSize(1);
        assertThat(provider.embed(List.of("x")).vectors()).hasSize(1);
    }

    @Test
    void anErrorStatusWhileHoldingARequestSlotIsTheSameErrorAndGivesTheSlotBack() {
        server.then(new Status(503, Map.of("Retry-After", "7"), "{\"error\":{\"message\":\"overloaded\"}}"));
        CountingSlot slot = new CountingSlot();

        EmbeddingProviderException e = catchThrowableOfType(EmbeddingProviderException.class,
                () -> openAi(VectorEncoding.BASE64).embed(List.of("x"), slot));

        assertThat(e.statusCode()).isEqualTo(503);
        assertThat(e.isTransient()).isTrue();
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(e.getMessage()).contains("overloaded");
        assertThat(slot.acquired()).isEqualTo(1);
        assertThat(slot.holds()).isFalse();
    }

    @Test
    void aProviderOnAHostsClientHoldsTheSlotForTheWholeCall() {
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(server.url("/v1")).apiKey(KEY).maxRetries(0).build();
        try {
            provider = OpenAiEmbeddingProvider.of(client, OpenAiEmbeddingConfig.forClient(OpenAiEmbeddingConfig.Service.OPENAI)
                    .build());
            CountingSlot slot = new CountingSlot();

            assertThat(provider.embed(List.of("a", "b"), slot).vectors()).hasSize(2);

            assertThat(slot.acquired()).isEqualTo(1);
            assertThat(slot.holds()).isFalse();
        } finally {
            client.close();
        }
    }

    @Test
    void aSlowAnswerWithinTheTimeoutSucceedsAndNoAnswerIsATransientStatusZero() {
        provider = OpenAiEmbeddingProvider.create(OpenAiEmbeddingConfig.openAi(KEY).baseUrl(server.url("/v1"))
                .timeout(Duration.ofSeconds(5)).build()); // generous: a 200 ms answer must fit even on a busy machine
        server.then(new Embeddings(Duration.ofMillis(200)), new Hang());

        assertThat(provider.embed(List.of("slow")).vectors()).hasSize(1);
        EmbeddingProviderException e = catchThrowableOfType(EmbeddingProviderException.class,
                () -> provider.embed(List.of("never")));

        assertThat(e.statusCode()).isZero();
        assertThat(e.isTransient()).isTrue();
        assertThat(e.getMessage()).contains("gave no answer", "timeout 5000 ms");
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void aRefusedConnectionIsATransientStatusZero() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        provider = OpenAiEmbeddingProvider.create(OpenAiEmbeddingConfig.openAi(KEY)
                .baseUrl("http://127.0.0.1:" + closedPort + "/v1").build());
        EmbeddingProviderException e = catchThrowableOfType(EmbeddingProviderException.class,
                () -> provider.embed(List.of("x")));
        assertThat(e.statusCode()).isZero();
        assertThat(e.isTransient()).isTrue();
    }

    @Test
    void badRequestsAndUnusableAnswersAreNotTransient() {
        OpenAiEmbeddingProvider p = openAi(VectorEncoding.BASE64);
        server.then(new Status(400, Map.of(), "{\"error\":{\"message\":\"This model's maximum context length is 8192"
                + " tokens\",\"code\":\"context_length_exceeded\"}}"));
        EmbeddingProviderException tooLong = catchThrowableOfType(EmbeddingProviderException.class,
                () -> p.embed(List.of("x")));
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.isTransient()).isFalse();
        assertThat(tooLong.getMessage()).contains("maximum context length", "context_length_exceeded");

        server.dimensions = 3072;
        EmbeddingProviderException wrongModel = catchThrowableOfType(EmbeddingProviderException.class,
                () -> p.embed(List.of("x")));
        assertThat(wrongModel.isTransient()).isFalse();
        assertThat(wrongModel.getMessage()).contains("3072 dimensions", "1536 are configured");

        server.then(new Status(200, Map.of(), "{\"object\":\"list\",\"data\":[]}"));
        EmbeddingProviderException empty = catchThrowableOfType(EmbeddingProviderException.class,
                () -> p.embed(List.of("x")));
        assertThat(empty.getMessage()).contains("0 vectors for 1 inputs");
    }

    @Test
    void isSafeForConcurrentUse() throws Exception {
        OpenAiEmbeddingProvider p = openAi(VectorEncoding.BASE64);
        List<Thread> threads = new ArrayList<>();
        List<Long> tokens = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 8; t++) {
            List<String> batch = List.of("thread " + t + " a", "thread " + t + " b c");
            Thread thread = new Thread(() -> tokens.add(p.embed(batch).tokensUsed()));
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(tokens).hasSize(8).containsOnly(7L);
        assertThat(server.requests()).hasSize(8);
    }

    @Test
    void configComesFromTheConnectionsSection() {
        AarConfig azure = AarConfig.builder()
                .connections(Connections.builder().azureOpenAiEndpoint("https://res.openai.azure.com/")
                        .azureOpenAiKey("k").azureOpenAiDeployment("emb").openAiApiKey("ignored").build())
                .embeddingProcessing(EmbeddingProcessing.builder().costPerMillionTokens(0.02).build()).build();
        OpenAiEmbeddingConfig fromAzure = OpenAiEmbeddingConfig.from(azure);
        assertThat(fromAzure.service()).isEqualTo(OpenAiEmbeddingConfig.Service.AZURE_OPENAI);
        assertThat(fromAzure.deployment()).isEqualTo("emb");
        assertThat(fromAzure.apiVersion()).isEqualTo(OpenAiEmbeddingConfig.DEFAULT_AZURE_API_VERSION);
        assertThat(fromAzure.costPerMillionTokens()).isEqualTo(0.02);
        assertThat(fromAzure.toString()).doesNotContain("=k,").contains("apiKey=****");

        OpenAiEmbeddingConfig fromOpenAi = OpenAiEmbeddingConfig.from(AarConfig.builder()
                .connections(Connections.builder().openAiApiKey(KEY).build()).build());
        assertThat(fromOpenAi.service()).isEqualTo(OpenAiEmbeddingConfig.Service.OPENAI);
        assertThat(fromOpenAi.baseUrl()).isEqualTo(OpenAiEmbeddingConfig.DEFAULT_OPENAI_BASE_URL);
        assertThat(fromOpenAi.toString()).doesNotContain(KEY);

        assertThatThrownBy(() -> OpenAiEmbeddingProvider.fromConfig(AarConfig.defaults()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("AZURE_OPENAI_ENDPOINT")
                .hasMessageContaining("OPENAI_API_KEY");
        assertThatThrownBy(() -> OpenAiEmbeddingConfig.from(AarConfig.builder().connections(Connections.builder()
                .azureOpenAiEndpoint("https://res.openai.azure.com/").build()).build()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("AZURE_OPENAI_KEY");
        assertThatThrownBy(() -> OpenAiEmbeddingConfig.openAi(KEY).dimensions(4000).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("dimensions = 4000");
    }

    @Test
    void aHostsOwnClientIsUsedAsItIsAndLeftOpen() {
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(server.url("/v1")).apiKey("sk-host").maxRetries(0).build();
        try {
            OpenAiEmbeddingConfig settings = OpenAiEmbeddingConfig.forClient(OpenAiEmbeddingConfig.Service.AZURE_OPENAI)
                    .deployment("emb-eu").build();
            OpenAiEmbeddingProvider own = OpenAiEmbeddingProvider.of(client, settings);

            assertThat(own.embed(List.of("one two")).vectors()).hasSize(1);
            own.close();

            Request request = server.requests().get(0);
            assertThat(request.headers()).containsEntry("authorization", "Bearer sk-host");
            assertThat(request.body().get("model").asText()).isEqualTo("emb-eu");
            assertThat(settings.toString()).contains("apiKey=(unset)");
            // closing the provider did not close the host's client
            assertThat(client.embeddings().create(EmbeddingCreateParams.builder().model("m")
                    .inputOfArrayOfStrings(List.of("after")).build()).data()).hasSize(1);
        } finally {
            client.close();
        }
        // a configuration without a connection cannot make a client of its own
        assertThatThrownBy(() -> OpenAiEmbeddingProvider.create(OpenAiEmbeddingConfig.forClient(OpenAiEmbeddingConfig.Service.OPENAI)
                .build())).isInstanceOf(ConfigException.class).hasMessageContaining("OPENAI_API_KEY");
    }
}
