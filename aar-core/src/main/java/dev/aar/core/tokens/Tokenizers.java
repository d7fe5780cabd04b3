package dev.aar.core.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import dev.aar.core.internal.Threads;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Gives out jtokkit encodings by name ({@code cl100k_base}, {@code o200k_base}, ...).
 *
 * <p>Each vocabulary is loaded once per process, on first use; loading one takes a noticeable
 * fraction of a second, so {@link #encodingInBackground} lets a caller start it and do other work
 * (read an archive's central directory, say) meanwhile. Encodings are thread-safe.
 */
public final class Tokenizers {

    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
    private static final Map<EncodingType, CompletableFuture<Encoding>> LOADED = new ConcurrentHashMap<>();
    private static final Executor LOADER = task -> Threads.daemon("aar-tokenizer-load").newThread(task).start();

    private Tokenizers() {
    }

    /** Returns the encoding called {@code name}, for example {@code "cl100k_base"}, loading it if needed. */
    public static Encoding encoding(String name) {
        return encodingInBackground(name).get();
    }

    /**
     * Starts loading the encoding called {@code name} on a background thread (unless it is loaded
     * or loading already) and returns a supplier that waits for it.
     *
     * @throws IllegalArgumentException at once, when no encoding has that name
     */
    public static Supplier<Encoding> encodingInBackground(String name) {
        EncodingType type = type(name);
        CompletableFuture<Encoding> loading = LOADED.computeIfAbsent(type,
                t -> CompletableFuture.supplyAsync(() -> REGISTRY.getEncoding(t), LOADER));
        return () -> {
            try {
                return loading.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        };
    }

    private static EncodingType type(String name) {
        for (EncodingType type : EncodingType.values()) {
            if (type.getName().equalsIgnoreCase(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown token encoding '" + name + "'; known: "
                + Arrays.stream(EncodingType.values()).map(EncodingType::getName)
                        .map(s -> s.toLowerCase(Locale.ROOT)).toList());
    }
}
