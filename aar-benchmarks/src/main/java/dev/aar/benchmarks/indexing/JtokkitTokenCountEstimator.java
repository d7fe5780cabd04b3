package dev.aar.benchmarks.indexing;

import com.knuddels.jtokkit.api.Encoding;
import dev.aar.core.tokens.Tokenizers;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.TokenCountEstimator;

/** A LangChain4j {@link TokenCountEstimator} that counts text tokens exactly with a jtokkit encoding. */
final class JtokkitTokenCountEstimator implements TokenCountEstimator {

    private final Encoding encoding;

    JtokkitTokenCountEstimator(String encodingName) {
        this.encoding = Tokenizers.encoding(encodingName);
    }

    @Override
    public int estimateTokenCountInText(String text) {
        // countTokensOrdinary: special tokens count as text, as in our Chunker
        return encoding.countTokensOrdinary(text);
    }

    @Override
    public int estimateTokenCountInMessage(ChatMessage message) {
        // the document splitters never count messages; this benchmark only splits documents
        throw new UnsupportedOperationException("this estimator counts document text only, not chat messages");
    }

    @Override
    public int estimateTokenCountInMessages(Iterable<ChatMessage> messages) {
        throw new UnsupportedOperationException("this estimator counts document text only, not chat messages");
    }
}
