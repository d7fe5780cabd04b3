package dev.aar.core.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Locale;

/**
 * Gives out jtokkit encodings by name ({@code cl100k_base}, {@code o200k_base}, ...).
 *
 * <p>The registry is built once per process: building it loads every vocabulary, which takes
 * a noticeable fraction of a second. Encodings are thread-safe.
 */
public final class Tokenizers {

    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

    private Tokenizers() {
    }

    /** Returns the encoding called {@code name}, for example {@code "cl100k_base"}. */
    public static Encoding encoding(String name) {
        for (EncodingType type : EncodingType.values()) {
            if (type.getName().equalsIgnoreCase(name)) {
                return REGISTRY.getEncoding(type);
            }
        }
        throw new IllegalArgumentException("unknown token encoding '" + name + "'; known: "
                + java.util.Arrays.stream(EncodingType.values()).map(EncodingType::getName)
                        .map(s -> s.toLowerCase(Locale.ROOT)).toList());
    }
}
