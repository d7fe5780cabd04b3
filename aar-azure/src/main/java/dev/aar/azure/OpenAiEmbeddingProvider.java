package dev.aar.azure;

import com.openai.client.OpenAIClient;
import com.openai.core.ObjectMappers;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIRetryableException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.aar.azure.OpenAiEmbeddingConfig.Service;
import dev.aar.azure.OpenAiEmbeddingConfig.VectorEncoding;
import dev.aar.azure.internal.EmbeddingResponseReader;
import dev.aar.azure.internal.OkHttpTransport;
import dev.aar.azure.internal.OpenAiClients;
import dev.aar.azure.internal.OpenAiErrors;
import dev.aar.core.config.AarConfig;
import dev.aar.embedding.EmbeddingModel;
import dev.aar.embedding.EmbeddingProvider;
import dev.aar.embedding.EmbeddingResult;
import dev.aar.embedding.RequestSlot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link EmbeddingProvider} backed by OpenAI's or Azure OpenAI's embeddings endpoint, through openai-java.
 *
 * <p>One {@link #embed} call is one HTTP request; the client's own retries are switched off because
 * the SDK's resilience pipeline (retry, circuit breaker, rate limiter) wraps every provider, and two
 * retry layers would multiply attempts. Failures carry the HTTP status and the server's
 * {@code Retry-After} / {@code retry-after-ms} so that pipeline can decide; a rejected key (401) is
 * reported as non-transient. The tokens reported are the API's own {@code usage.prompt_tokens}.
 *
 * <p>openai-java builds and sends the request and maps error statuses; the answer's body is read by
 * {@link EmbeddingResponseReader} (streaming, straight into {@code float[]}) rather than through the
 * client's response model, which costs far more CPU for the same vectors.
 *
 * <p>Creating a provider starts a short-lived daemon thread that loads and initializes what the first
 * request would otherwise wait for: openai-java's request serialization (Jackson with its Kotlin
 * support, about half a second on the 2-core benchmark machine) and this provider's answer reader. It
 * sends nothing. A job that starts right after the provider is created then finds them ready; without
 * it, every one of the first MaxConcurrency requests waited for them (0.7 s in {@code aar analyze}).
 */
public final class OpenAiEmbeddingProvider implements EmbeddingProvider {

    private static final Logger log = LoggerFactory.getLogger(OpenAiEmbeddingProvider.class);

    private final OpenAiEmbeddingConfig config;
    private final OpenAIClient client;
    private final EmbeddingModel model;
    private final OpenAiErrors errors;
    private final EmbeddingResponseReader reader;
    private final boolean ownsClient;

    private OpenAiEmbeddingProvider(OpenAiEmbeddingConfig config, OpenAIClient client, boolean ownsClient, Clock clock) {
        this.config = config;
        this.client = client;
        this.ownsClient = ownsClient;
        this.model = new EmbeddingModel(config.model(), config.dimensions(), config.maxTokensPerInput(),
                config.maxInputsPerRequest(), config.maxTokensPerRequest(), config.costPerMillionTokens());
        boolean azure = config.service() == Service.AZURE_OPENAI;
        this.errors = new OpenAiErrors(azure ? "Azure OpenAI" : "OpenAI",
                azure ? "Connections.AzureOpenAiKey (env AZURE_OPENAI_KEY)" : "Connections.OpenAiApiKey (env OPENAI_API_KEY)",
                azure ? "deployment '" + config.deployment() + "'" : "model '" + config.model() + "'",
                config.apiKey(), clock);
        this.reader = new EmbeddingResponseReader(config.dimensions(), config.model(), errors);
        Thread warmUp = new Thread(this::warmUp, "aar-openai-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    /**
     * Serializes a one-input request the way {@link #embed} does and reads a one-vector answer, so that
     * the classes and caches both need are ready; sends nothing. A failure only means the first request
     * pays for it.
     */
    void warmUp() {
        try {
            ObjectMappers.jsonMapper().writeValueAsBytes(params(List.of("warm-up"))._body());
            reader.read(new ByteArrayInputStream(sampleAnswer()), 1);
        } catch (IOException | RuntimeException e) {
            log.debug("warming up the OpenAI client failed; the first request pays for it", e);
        }
    }

    /** A one-vector answer as the configured encoding sends it. */
    private byte[] sampleAnswer() {
        String vector;
        if (config.encoding() == VectorEncoding.BASE64) {
            vector = '"' + Base64.getEncoder().encodeToString(new byte[4 * config.dimensions()]) + '"';
        } else {
            vector = "[" + String.join(",", Collections.nCopies(config.dimensions(), "0.0")) + "]";
        }
        return ("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":" + vector
                + "}],\"model\":\"" + config.model() + "\",\"usage\":{\"prompt_tokens\":1,\"total_tokens\":1}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Creates a provider from the {@code Connections} and {@code EmbeddingProcessing} sections. */
    public static OpenAiEmbeddingProvider fromConfig(AarConfig config) {
        return create(OpenAiEmbeddingConfig.from(config));
    }

    /** Creates a provider with these settings; close it to release its HTTP connections. */
    public static OpenAiEmbeddingProvider create(OpenAiEmbeddingConfig config) {
        Objects.requireNonNull(config, "config");
        boolean azure = config.service() == OpenAiEmbeddingConfig.Service.AZURE_OPENAI;
        // a configuration made for a host's client (forClient) has nothing to connect with
        OpenAiClients.checkConnection(azure, config.apiKey(), config.baseUrl(), "the OpenAI embedding provider");
        OpenAIClient client = OpenAiClients.create(azure, config.baseUrl(), config.apiKey(), config.apiVersion(), config.timeout());
        return new OpenAiEmbeddingProvider(config, client, true, Clock.systemUTC());
    }

    /**
     * Uses a client the host built itself (Azure AD credentials, a proxy, ...); {@code config} gives the
     * service, model and limits (see {@link OpenAiEmbeddingConfig#forClient}). The host keeps the client:
     * closing this provider leaves it open, and switching off its retries ({@code maxRetries(0)}) is the host's job.
     */
    public static OpenAiEmbeddingProvider of(OpenAIClient client, OpenAiEmbeddingConfig config) {
        return new OpenAiEmbeddingProvider(Objects.requireNonNull(config, "config"), Objects.requireNonNull(client, "client"),
                false, Clock.systemUTC());
    }

    @Override
    public EmbeddingModel model() {
        return model;
    }

    /** Returns the settings this provider was created with. */
    public OpenAiEmbeddingConfig config() {
        return config;
    }

    @Override
    public EmbeddingResult embed(List<String> inputs) {
        checkBatch(inputs);
        return send(inputs);
    }

    /**
     * Embeds {@code inputs} holding {@code slot} only while the request is on the wire: the request's
     * body is serialized before the slot is taken, and the answer's body is read into memory and the
     * slot given back before it is decoded. A provider made with {@link #of} sends through the host's
     * client, whose transport this cannot reach, and holds the slot for the whole call.
     */
    @Override
    public EmbeddingResult embed(List<String> inputs, RequestSlot slot) {
        if (!ownsClient) {
            return EmbeddingProvider.super.embed(inputs, slot);
        }
        checkBatch(inputs);
        try {
            return OkHttpTransport.holding(slot, reader.maxBodyBytes(inputs.size()), () -> send(inputs));
        } finally {
            slot.release();
        }
    }

    private EmbeddingResult send(List<String> inputs) {
        try (HttpResponseFor<CreateEmbeddingResponse> response = client.embeddings().withRawResponse().create(params(inputs))) {
            // create has thrown any error status already, as OpenAIServiceException; the body is still unread
            return reader.read(response.body(), inputs.size());
        } catch (OpenAIServiceException e) {
            throw errors.fromStatus(e);
        } catch (OpenAIIoException | OpenAIRetryableException e) {
            // no answer, or one cut off before it could be read: trying again may well work
            throw errors.noResponse(e, config.timeout());
        } catch (IOException e) {
            // the answer broke off while its body was read (reset, the call's timeout): the same
            throw errors.noResponse(e, config.timeout());
        } catch (OpenAIException e) {
            throw errors.unusable(String.valueOf(e.getMessage()), e);
        }
    }

    private EmbeddingCreateParams params(List<String> inputs) {
        EmbeddingCreateParams.Builder params = EmbeddingCreateParams.builder()
                .model(config.service() == Service.AZURE_OPENAI ? config.deployment() : config.model())
                .inputOfArrayOfStrings(inputs)
                .encodingFormat(config.encoding() == VectorEncoding.BASE64
                        ? EmbeddingCreateParams.EncodingFormat.BASE64 : EmbeddingCreateParams.EncodingFormat.FLOAT);
        if (config.shortensVectors()) {
            params.dimensions(config.dimensions());
        }
        return params.build();
    }

    private void checkBatch(List<String> inputs) {
        Objects.requireNonNull(inputs, "inputs");
        if (inputs.isEmpty() || inputs.size() > config.maxInputsPerRequest()) {
            throw new IllegalArgumentException("a batch must hold 1.." + config.maxInputsPerRequest()
                    + " inputs, was " + inputs.size());
        }
        for (int i = 0; i < inputs.size(); i++) {
            String input = inputs.get(i);
            if (input == null || input.isEmpty()) {
                // the API refuses empty strings with a 400 that does not say which one
                throw new IllegalArgumentException("input " + i + " is " + (input == null ? "null" : "empty"));
            }
        }
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }

    @Override
    public String toString() {
        return "OpenAiEmbeddingProvider[" + config + "]";
    }
}
