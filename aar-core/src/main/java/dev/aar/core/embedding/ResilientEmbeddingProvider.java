package dev.aar.core.embedding;

import com.knuddels.jtokkit.api.Encoding;
import dev.aar.core.error.ResilienceException;
import dev.aar.core.config.EmbeddingProcessing;
import dev.aar.core.resilience.EmbeddingPipeline;
import dev.aar.core.resilience.PipelineConfig;
import dev.aar.core.resilience.ResiliencePipeline;
import dev.aar.core.tokens.Tokenizers;
import dev.aar.embedding.EmbeddingModel;
import dev.aar.embedding.EmbeddingProvider;
import dev.aar.embedding.EmbeddingProviderException;
import dev.aar.embedding.EmbeddingResult;
import dev.aar.embedding.RequestSlot;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Objects;

/**
 * Decorates any {@link EmbeddingProvider} with a {@link ResiliencePipeline}: retries with backoff that
 * honour {@code Retry-After}, no retry of non-transient 4xx, a circuit breaker that callers wait out,
 * a total timeout, a request rate limiter and a tokens-per-minute limiter.
 *
 * <p>Failures leave as {@link EmbeddingProviderException}, as the SPI requires: the delegate's own
 * exception when it is not transient or retries are spent, otherwise one with status 0 whose cause
 * is the pipeline's {@link ResilienceException}. Closing this closes the delegate and the pipeline
 * if this decorator created it.
 */
public final class ResilientEmbeddingProvider implements EmbeddingProvider {

    private final EmbeddingProvider delegate;
    private final ResiliencePipeline pipeline;
    private final boolean ownsPipeline;
    private final Encoding encoding;

    private ResilientEmbeddingProvider(EmbeddingProvider delegate, ResiliencePipeline pipeline, boolean ownsPipeline,
            Encoding encoding) {
        this.delegate = delegate;
        this.pipeline = pipeline;
        this.ownsPipeline = ownsPipeline;
        this.encoding = encoding;
    }

    /** Starts a decorator of {@code delegate} with the spec's {@code EmbeddingPipeline} settings. */
    public static Builder builder(EmbeddingProvider delegate) {
        return new Builder(delegate);
    }

    @Override
    public EmbeddingModel model() {
        return delegate.model();
    }

    /** Embeds {@code inputs}, counting their tokens for the token limiter with the configured encoding. */
    @Override
    public EmbeddingResult embed(List<String> inputs) {
        return embed(inputs, tokensOf(inputs), RequestSlot.unlimited());
    }

    /** Embeds {@code inputs} holding {@code slot} only while each attempt's request is in flight. */
    @Override
    public EmbeddingResult embed(List<String> inputs, RequestSlot slot) {
        return embed(inputs, tokensOf(inputs), slot);
    }

    /** Embeds {@code inputs} whose token count the caller already knows (the indexer does). */
    public EmbeddingResult embed(List<String> inputs, long tokens) {
        return embed(inputs, tokens, RequestSlot.unlimited());
    }

    /**
     * Embeds {@code inputs} whose token count the caller knows, holding {@code slot} only while a
     * request is in flight: each attempt takes it again, so a backoff, a limiter's wait or a wait for
     * the circuit breaker holds no place. The wait for the slot is part of an attempt: an attempt
     * timeout, if one is set, counts it, and an attempt it gives up on keeps the place until it ends.
     */
    public EmbeddingResult embed(List<String> inputs, long tokens, RequestSlot slot) {
        try {
            return pipeline.execute(tokens, () -> delegate.embed(inputs, slot));
        } catch (ResilienceException e) {
            throw new EmbeddingProviderException(delegate.model().name() + ": " + e.getMessage(), 0, null, e);
        }
    }

    private long tokensOf(List<String> inputs) {
        long tokens = 0;
        if (pipeline.config().tokensPerMinute() > 0) {
            for (String input : inputs) {
                tokens += encoding.countTokensOrdinary(input);
            }
        }
        return tokens;
    }

    /**
     * Embeds {@code inputs} for a caller that would rather fail at once than wait for an open circuit
     * breaker (a search a user waits for): refused with status 0 and a {@code BREAKER_OPEN} cause while it is open.
     */
    public EmbeddingResult embedFailFast(List<String> inputs) {
        try {
            return pipeline.executeFailFast(tokensOf(inputs), () -> delegate.embed(inputs));
        } catch (ResilienceException e) {
            throw new EmbeddingProviderException(delegate.model().name() + ": " + e.getMessage(), 0, null, e);
        }
    }

    /** Returns the provider this decorator calls. */
    public EmbeddingProvider delegate() {
        return delegate;
    }

    /** Returns the pipeline calls go through. */
    public ResiliencePipeline pipeline() {
        return pipeline;
    }

    @Override
    public void close() {
        try {
            delegate.close();
        } finally {
            if (ownsPipeline) {
                pipeline.close();
            }
        }
    }

    /** Builds a {@link ResilientEmbeddingProvider}. */
    public static final class Builder {
        private final EmbeddingProvider delegate;
        private String name = EmbeddingPipeline.NAME;
        private PipelineConfig config = EmbeddingPipeline.config();
        private ResiliencePipeline pipeline;
        private MeterRegistry meters;
        private String tokenEncoding = EmbeddingProcessing.DEFAULT_TOKEN_ENCODING;

        private Builder(EmbeddingProvider delegate) {
            this.delegate = Objects.requireNonNull(delegate, "delegate");
        }

        /** Takes the token budget and encoding from the {@code EmbeddingProcessing} section. */
        public Builder embeddingProcessing(EmbeddingProcessing settings) {
            this.tokenEncoding = settings.tokenEncoding();
            // the limiter counts permits in an int; a budget above 2^31 tokens a minute is no limit in practice
            this.config = config.toBuilder().tokensPerMinute(Math.min(settings.tokensPerMinute(), Integer.MAX_VALUE)).build();
            return this;
        }

        /** Uses these settings (default: {@link EmbeddingPipeline#config()}) for a pipeline of its own. */
        public Builder config(PipelineConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Names the pipeline this decorator creates (its metrics carry the name). */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Uses a shared pipeline (for example from a {@link dev.aar.core.resilience.PipelineRegistry}) instead of creating one. */
        public Builder pipeline(ResiliencePipeline pipeline) {
            this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
            return this;
        }

        /** Publishes resilience4j metrics of the pipeline this decorator creates. */
        public Builder meterRegistry(MeterRegistry meters) {
            this.meters = meters;
            return this;
        }

        /** The jtokkit encoding used to count tokens for the token limiter (default cl100k_base). */
        public Builder tokenEncoding(String encoding) {
            this.tokenEncoding = Objects.requireNonNull(encoding, "encoding");
            return this;
        }

        public ResilientEmbeddingProvider build() {
            Encoding encoding = Tokenizers.encoding(tokenEncoding);
            if (pipeline != null) {
                return new ResilientEmbeddingProvider(delegate, pipeline, false, encoding);
            }
            return new ResilientEmbeddingProvider(delegate, ResiliencePipeline.of(name, config, meters), true, encoding);
        }
    }
}
