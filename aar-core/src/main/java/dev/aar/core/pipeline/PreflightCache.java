package dev.aar.core.pipeline;

import dev.aar.core.preflight.PreflightResult;
import dev.aar.core.preflight.TokenMode;
import dev.aar.core.project.Project;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Stored projects' preflight results by project and token mode. A project's archive never changes,
 * so its preflight is computed once: a repeated preflight, or the submission that follows one (even
 * a refused one), does not inflate the archive again; concurrent callers for the same project and
 * mode wait for the one computation. Bounded: the least recently used results are forgotten (and
 * simply recomputed if asked for again). Failures are not kept.
 */
final class PreflightCache {

    /** How many results are kept at most. */
    static final int DEFAULT_CAPACITY = 1024;

    /** The archive's key and size are part of the key, so a re-created project id never sees an old result. */
    private record Key(String projectId, String archiveKey, long archiveSize, TokenMode mode) {
        static Key of(Project p, TokenMode mode) {
            return new Key(p.id(), p.archiveKey(), p.archiveBytes(), mode);
        }
    }

    private final Map<Key, PreflightResult> results;
    private final Map<Key, CompletableFuture<PreflightResult>> running = new ConcurrentHashMap<>();

    PreflightCache(int capacity) {
        this.results = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, PreflightResult> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Returns the project's result for {@code mode}, computing it with {@code compute} only if nobody has. */
    PreflightResult get(Project project, TokenMode mode, Supplier<PreflightResult> compute) {
        Key key = Key.of(project, mode);
        PreflightResult done = cached(key);
        if (done != null) {
            return done;
        }
        CompletableFuture<PreflightResult> mine = new CompletableFuture<>();
        CompletableFuture<PreflightResult> other = running.putIfAbsent(key, mine);
        if (other != null) {
            try {
                return other.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
        }
        try {
            PreflightResult result = cached(key); // finished between the first look and putIfAbsent
            if (result == null) {
                result = compute.get();
                synchronized (this) {
                    results.put(key, result);
                }
            }
            mine.complete(result);
            return result;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            running.remove(key, mine);
        }
    }

    /** Returns the most precise result known for the project (EXACT before FAST), or null. */
    PreflightResult latest(Project project) {
        PreflightResult exact = cached(Key.of(project, TokenMode.EXACT));
        return exact != null ? exact : cached(Key.of(project, TokenMode.FAST));
    }

    private synchronized PreflightResult cached(Key key) {
        return results.get(key);
    }
}
