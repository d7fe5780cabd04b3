package dev.aar.azure;

import com.knuddels.jtokkit.api.Encoding;
import com.openai.client.OpenAIClient;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIRetryableException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import dev.aar.azure.OpenAiEmbeddingConfig.Service;
import dev.aar.azure.internal.OpenAiClients;
import dev.aar.azure.internal.OpenAiErrors;
import dev.aar.azure.internal.ReviewAnswer;
import dev.aar.azure.internal.ReviewPrompt;
import dev.aar.azure.internal.ReviewQuestion;
import dev.aar.core.error.ResilienceException;
import dev.aar.core.analysis.Analyzer;
import dev.aar.core.analysis.FindingSink;
import dev.aar.core.analysis.ProjectView;
import dev.aar.core.analysis.SourceFile;
import dev.aar.core.config.AarConfig;
import dev.aar.core.event.Finding;
import dev.aar.core.event.Severity;
import dev.aar.core.resilience.OpenAiPipeline;
import dev.aar.core.resilience.PipelineRegistry;
import dev.aar.core.resilience.ResiliencePipeline;
import dev.aar.core.tokens.Tokenizers;
import dev.aar.embedding.EmbeddingProviderException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An optional {@link Analyzer} that asks an OpenAI or Azure OpenAI chat model for an architecture
 * summary and findings, from code excerpts retrieved with {@link ProjectView#search} for a fixed set
 * of architecture questions.
 *
 * <p>Off by default: register it only when configured, e.g.
 * {@code LlmReviewer.fromConfig(config, appsettings).ifPresent(builder::add)}. One review is one chat
 * request whose prompt is bounded by {@link LlmReviewerConfig#maxPromptTokens()}; it goes through the
 * {@link OpenAiPipeline} (openai-java's own retries are off), so a 429's {@code Retry-After} is honoured
 * and a rejected key fails at once with an {@link LlmReviewException}. The answer is parsed
 * defensively: whatever the model writes, the result is findings with rules prefixed {@code llm-},
 * the summary as an Info finding {@value ReviewAnswer#SUMMARY_RULE}. Code excerpts leave the machine.
 */
public final class LlmReviewer implements Analyzer, AutoCloseable {

    public static final String ID = "llm-review";
    /** Rule of the architecture summary finding. */
    public static final String SUMMARY_RULE = ReviewAnswer.SUMMARY_RULE;
    /** Rule of the Info finding emitted when the answer could not be parsed. */
    public static final String UNPARSABLE_RULE = ReviewAnswer.UNPARSABLE_RULE;
    /** Rule of the Info finding emitted when there was nothing to review (no embeddings). */
    public static final String SKIPPED_RULE = "llm-review-skipped";

    private final LlmReviewerConfig config;
    private final OpenAIClient client;
    private final ResiliencePipeline pipeline;
    private final boolean ownsPipeline;
    private final OpenAiErrors errors;
    private final Encoding encoding;

    private LlmReviewer(LlmReviewerConfig config, OpenAIClient client, ResiliencePipeline pipeline, boolean ownsPipeline) {
        this.config = config;
        this.client = client;
        this.pipeline = pipeline;
        this.ownsPipeline = ownsPipeline;
        this.encoding = Tokenizers.encoding(config.tokenEncoding());
        boolean azure = config.service() == Service.AZURE_OPENAI;
        this.errors = new OpenAiErrors(azure ? "Azure OpenAI" : "OpenAI",
                azure ? "Connections.AzureOpenAiKey (env AZURE_OPENAI_KEY)" : "Connections.OpenAiApiKey (env OPENAI_API_KEY)",
                azure ? "chat deployment '" + config.deployment() + "'" : "chat model '" + config.model() + "'",
                config.apiKey(), Clock.systemUTC(), "chat completions");
    }

    /**
     * Returns a reviewer when the {@value LlmReviewerConfig#SECTION} section of {@code appsettings}
     * enables it, with its own {@link OpenAiPipeline}; empty otherwise.
     */
    public static Optional<LlmReviewer> fromConfig(AarConfig config, Path appsettings) {
        return LlmReviewerConfig.load(appsettings, config).map(LlmReviewer::create);
    }

    /** Like {@link #fromConfig(AarConfig, Path)}, sharing the {@link OpenAiPipeline} of {@code pipelines}. */
    public static Optional<LlmReviewer> fromConfig(AarConfig config, Path appsettings, PipelineRegistry pipelines) {
        ResiliencePipeline shared = pipelines.pipeline(OpenAiPipeline.NAME);
        return LlmReviewerConfig.load(appsettings, config).map(c -> create(c, shared));
    }

    /** Creates a reviewer with its own pipeline configured with {@link OpenAiPipeline#config()}; close it when done. */
    public static LlmReviewer create(LlmReviewerConfig config) {
        return new LlmReviewer(config, client(config), ResiliencePipeline.of(OpenAiPipeline.NAME, OpenAiPipeline.config(),
                null), true);
    }

    /**
     * Creates a reviewer whose calls go through {@code pipeline} (usually the shared
     * {@code PipelineRegistry.pipeline(OpenAiPipeline.NAME)}); closing the reviewer leaves the pipeline open.
     */
    public static LlmReviewer create(LlmReviewerConfig config, ResiliencePipeline pipeline) {
        return new LlmReviewer(config, client(config), Objects.requireNonNull(pipeline, "pipeline"), false);
    }

    private static OpenAIClient client(LlmReviewerConfig config) {
        Objects.requireNonNull(config, "config");
        return OpenAiClients.create(config.service() == OpenAiEmbeddingConfig.Service.AZURE_OPENAI, config.baseUrl(), config.apiKey(), config.apiVersion(),
                config.timeout());
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Asks a chat model (" + config.model() + ") for an architecture summary and findings from retrieved code";
    }

    /** Returns the settings this reviewer was created with. */
    public LlmReviewerConfig config() {
        return config;
    }

    /**
     * Reviews {@code project}; emits the summary and findings, or one Info finding when there is
     * nothing to send or the answer cannot be parsed.
     *
     * @throws LlmReviewException when the service refuses the request or stays unavailable
     */
    @Override
    public void analyze(ProjectView project, FindingSink sink) {
        if (!project.isSearchable()) {
            sink.emit(skipped("the project has no embeddings to retrieve code excerpts from; index it first"));
            return;
        }
        ReviewPrompt prompt = ReviewPrompt.build(project, ReviewQuestion.ALL, config.chunksPerQuestion(),
                config.maxFindings(), config.maxPromptTokens(), encoding);
        if (prompt.excerpts() == 0) {
            sink.emit(skipped(prompt.retrieved() == 0 ? "retrieval found no code excerpts"
                    : "no retrieved excerpt fits LlmReview.MaxPromptTokens = " + config.maxPromptTokens()));
            return;
        }
        Answer answer = ask(prompt);
        if (answer.content() == null && answer.refusal() != null) {
            sink.emit(new Finding(Severity.INFO, UNPARSABLE_RULE, "The LLM architecture review could not be parsed: the model"
                    + " refused to answer: " + answer.refusal(), null, null, null));
            return;
        }
        Set<String> files = project.files().stream().map(SourceFile::path).collect(Collectors.toSet());
        String evidence = "model " + config.model() + "; " + prompt.excerpts() + " excerpts from " + prompt.excerptFiles()
                + " files; prompt " + answer.promptTokens().map(String::valueOf).orElse("~" + prompt.tokens())
                + " tokens (budget " + config.maxPromptTokens() + "), answer "
                + answer.completionTokens().map(String::valueOf).orElse("?") + " tokens";
        for (Finding f : ReviewAnswer.parse(answer.content(), answer.truncated(), files, config.maxFindings(), evidence)) {
            sink.emit(f);
        }
    }

    private Answer ask(ReviewPrompt prompt) {
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
                .model(config.service() == Service.AZURE_OPENAI ? config.deployment() : config.model())
                .addSystemMessage(prompt.system())
                .addUserMessage(prompt.user())
                .maxCompletionTokens(config.maxAnswerTokens());
        if (config.jsonResponseFormat()) {
            params.responseFormat(ResponseFormatJsonObject.builder().build());
        }
        ChatCompletionCreateParams request = params.build();
        try {
            return pipeline.execute(prompt.tokens(), () -> attempt(request));
        } catch (EmbeddingProviderException e) {
            LlmReviewException.Reason reason = e.statusCode() == 200 ? LlmReviewException.Reason.INVALID_ANSWER
                    : e.isTransient() ? LlmReviewException.Reason.UNAVAILABLE : LlmReviewException.Reason.REJECTED;
            throw new LlmReviewException(reason, e.statusCode(), "LLM review failed: " + e.getMessage(), e);
        } catch (ResilienceException e) {
            throw new LlmReviewException(LlmReviewException.Reason.UNAVAILABLE, 0, "LLM review failed: " + e.getMessage(), e);
        }
    }

    /** One HTTP request; failures are mapped so the pipeline's default classifier understands them. */
    private Answer attempt(ChatCompletionCreateParams request) {
        ChatCompletion completion;
        try {
            completion = client.chat().completions().create(request);
        } catch (OpenAIServiceException e) {
            throw errors.fromStatus(e);
        } catch (OpenAIIoException | OpenAIRetryableException e) {
            throw errors.noResponse(e, config.timeout());
        } catch (OpenAIException e) {
            throw errors.unusable(String.valueOf(e.getMessage()), e);
        }
        try {
            if (completion.choices().isEmpty()) {
                throw errors.unusable("the answer holds no choices", null);
            }
            ChatCompletion.Choice choice = completion.choices().get(0);
            ChatCompletionMessage message = choice.message();
            boolean truncated = ChatCompletion.Choice.FinishReason.LENGTH.equals(choice.finishReason());
            return new Answer(message.content().orElse(null), message.refusal().orElse(null), truncated,
                    completion.usage().map(u -> u.promptTokens()), completion.usage().map(u -> u.completionTokens()));
        } catch (EmbeddingProviderException e) {
            throw e;
        } catch (RuntimeException e) {
            // a missing field (OpenAIInvalidDataException): not a chat completion
            throw errors.unusable(String.valueOf(e.getMessage()), e);
        }
    }

    private static Finding skipped(String why) {
        return new Finding(Severity.INFO, SKIPPED_RULE, "The LLM architecture review was skipped: " + why + ".",
                null, null, null);
    }

    @Override
    public void close() {
        client.close();
        if (ownsPipeline) {
            pipeline.close();
        }
    }

    @Override
    public String toString() {
        return "LlmReviewer[" + config + "]";
    }

    private record Answer(String content, String refusal, boolean truncated, Optional<Long> promptTokens,
            Optional<Long> completionTokens) {
    }
}
