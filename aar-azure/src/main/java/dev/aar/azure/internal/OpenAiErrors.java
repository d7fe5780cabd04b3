package dev.aar.azure.internal;

import com.openai.core.JsonValue;
import com.openai.errors.OpenAIServiceException;
import dev.aar.embedding.EmbeddingProviderException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns openai-java failures into {@link EmbeddingProviderException}s that carry the HTTP status and
 * the server's requested wait, with messages that say what to fix and never contain the key.
 */
public final class OpenAiErrors {

    /** OpenAI echoes a masked key ("sk-abc***xyz") in 401 messages; even a fragment is not shown. */
    private static final Pattern KEY_LIKE = Pattern.compile("sk-[A-Za-z0-9_*\\-]+");

    private final String service;
    private final String keySetting;
    private final String target;
    private final String apiKey;
    private final Clock clock;
    private final String operation;

    /**
     * @param service "OpenAI" or "Azure OpenAI", for messages
     * @param keySetting where the key is configured, for the 401 hint
     * @param target what was called (model or deployment), for messages
     * @param apiKey the key, so that it can be scrubbed from anything the server echoes
     */
    public OpenAiErrors(String service, String keySetting, String target, String apiKey, Clock clock) {
        this(service, keySetting, target, apiKey, clock, "embeddings");
    }

    /**
     * Like {@link #OpenAiErrors(String, String, String, String, Clock)} for another endpoint.
     *
     * @param operation what was requested ("embeddings", "chat completions"), for messages
     */
    public OpenAiErrors(String service, String keySetting, String target, String apiKey, Clock clock, String operation) {
        this.operation = operation;
        this.service = service;
        this.keySetting = keySetting;
        this.target = target;
        this.apiKey = apiKey;
        this.clock = clock;
    }

    /** Maps an HTTP error answer. */
    public EmbeddingProviderException fromStatus(OpenAIServiceException e) {
        int status = e.statusCode();
        Optional<Duration> wait = RetryAfter.parse(name -> e.headers().values(name), clock);
        String detail = apiMessage(e).map(m -> ": " + scrub(m)).orElse("");
        String what = switch (status) {
            case 401 -> service + " rejected the API key (HTTP 401); check " + keySetting
                    + ". Not retried: a wrong key stays wrong";
            case 403 -> service + " refused access to " + target + " (HTTP 403); check the key's permissions";
            case 404 -> service + " has no " + target + " (HTTP 404); check the model or deployment name"
                    + " and, for Azure, the endpoint and api-version";
            case 429 -> service + " is rate-limiting requests (HTTP 429)"
                    + wait.map(w -> "; asked to wait " + w.toMillis() + " ms").orElse("");
            default -> status >= 500
                    ? service + " failed on its side (HTTP " + status + ")" + wait.map(w -> "; asked to wait "
                            + w.toMillis() + " ms").orElse("")
                    : service + " refused the " + operation + " request for " + target + " (HTTP " + status + ")";
        };
        // OpenAI's own 401 text quotes part of the key; the SDK exception would carry it into stack traces
        Throwable cause = status == 401 ? null : e;
        return new EmbeddingProviderException(what + detail, status, wait.orElse(null), cause);
    }

    /**
     * Maps a request that got no (complete) answer: refused connection, reset, or timeout, reported by the
     * client ({@code OpenAIIoException}) or while the body was read ({@code IOException}).
     */
    public EmbeddingProviderException noResponse(Exception e, Duration timeout) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String why = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + scrub(root.getMessage()));
        return new EmbeddingProviderException(service + " gave no answer for " + target + " (timeout "
                + timeout.toMillis() + " ms): " + why, 0, null, e);
    }

    /** Maps an answer that arrived but cannot be used (malformed, wrong vector count or length). */
    public EmbeddingProviderException unusable(String why, Throwable cause) {
        return new EmbeddingProviderException(service + " answered for " + target + " but the answer is unusable: "
                + scrub(why), 200, null, cause);
    }

    private static Optional<String> apiMessage(OpenAIServiceException e) {
        try {
            // the API answers {"error": {"message": "...", "code": "..."}}; the SDK may hand over either level
            Optional<Map<String, JsonValue>> body = e.body().asObject();
            Optional<Map<String, JsonValue>> error = body.flatMap(b -> Optional.ofNullable(b.get("error")))
                    .flatMap(JsonValue::asObject).or(() -> body);
            Optional<String> message = error.flatMap(m -> Optional.ofNullable(m.get("message")))
                    .flatMap(JsonValue::asString);
            Optional<String> code = error.flatMap(m -> Optional.ofNullable(m.get("code"))).flatMap(JsonValue::asString)
                    .or(() -> e.code());
            if (message.isEmpty()) {
                return code;
            }
            return Optional.of(message.get() + code.map(c -> " [" + c + "]").orElse(""));
        } catch (RuntimeException ignored) {
            return Optional.empty();
        }
    }

    private String scrub(String text) {
        String out = apiKey == null || apiKey.isEmpty() ? text : text.replace(apiKey, "****");
        return KEY_LIKE.matcher(out).replaceAll("sk-****");
    }
}
