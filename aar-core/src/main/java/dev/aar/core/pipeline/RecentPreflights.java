package dev.aar.core.pipeline;

import dev.aar.core.preflight.PreflightResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The latest preflight result of recently preflighted projects, so that queueing a project right
 * after its preflight does not read its archive again. Bounded: the least recently stored are
 * forgotten (and simply recomputed if ever needed).
 */
final class RecentPreflights {

    /** How many projects' results are kept at most. */
    static final int DEFAULT_CAPACITY = 256;

    private final Map<String, PreflightResult> results;

    RecentPreflights(int capacity) {
        this.results = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PreflightResult> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized void put(String projectId, PreflightResult result) {
        results.remove(projectId); // re-inserted last: the newest result is the last to be forgotten
        results.put(projectId, result);
    }

    /** Returns and forgets the project's result, or null when there is none. */
    synchronized PreflightResult take(String projectId) {
        return results.remove(projectId);
    }
}
