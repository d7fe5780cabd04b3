package dev.aar.core.memory;

import dev.aar.embedding.EmbeddedChunk;
import dev.aar.embedding.EmbeddingStore;
import dev.aar.embedding.ScoredChunk;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link EmbeddingStore} in memory: exact top-k cosine search by a linear scan of the project's
 * chunks (vectors are normalised once, at upsert). Fine up to a few hundred thousand chunks per project.
 */
public final class InMemoryEmbeddingStore implements EmbeddingStore {

    private record Entry(EmbeddedChunk chunk, float[] unit) {
    }

    private final Map<String, Map<String, Entry>> projects = new ConcurrentHashMap<>();
    /** model + '\u0000' + contentHash -> vector, for incremental indexing. */
    private final Map<String, float[]> byHash = new ConcurrentHashMap<>();

    @Override
    public void upsert(List<EmbeddedChunk> chunks) {
        for (EmbeddedChunk c : chunks) {
            projects.computeIfAbsent(c.projectId(), p -> new ConcurrentHashMap<>())
                    .put(c.chunkId(), new Entry(c, normalise(c.vector())));
            byHash.put(c.model() + '\u0000' + c.contentHash(), c.vector());
        }
    }

    @Override
    public List<ScoredChunk> search(String projectId, float[] query, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, was " + k);
        }
        Map<String, Entry> chunks = projects.get(projectId);
        if (chunks == null) {
            return List.of();
        }
        float[] q = normalise(query);
        PriorityQueue<ScoredChunk> best = new PriorityQueue<>(Comparator.comparingDouble(ScoredChunk::score));
        for (Entry e : chunks.values()) {
            if (e.unit.length != q.length) {
                continue; // another model's vector
            }
            double score = dot(q, e.unit);
            if (best.size() < k) {
                best.add(new ScoredChunk(e.chunk, score));
            } else if (score > best.peek().score()) {
                best.poll();
                best.add(new ScoredChunk(e.chunk, score));
            }
        }
        List<ScoredChunk> result = new ArrayList<>(best);
        result.sort(Comparator.comparingDouble(ScoredChunk::score).reversed()
                .thenComparing(s -> s.chunk().chunkId()));
        return result;
    }

    @Override
    public Map<String, float[]> findVectors(String model, Collection<String> contentHashes) {
        Map<String, float[]> found = new HashMap<>();
        for (String hash : contentHashes) {
            float[] v = byHash.get(model + '\u0000' + hash);
            if (v != null) {
                found.put(hash, v);
            }
        }
        return found;
    }

    @Override
    public long count(String projectId) {
        Map<String, Entry> chunks = projects.get(projectId);
        return chunks == null ? 0 : chunks.size();
    }

    @Override
    public long deleteProject(String projectId) {
        Map<String, Entry> removed = projects.remove(projectId);
        return removed == null ? 0 : removed.size();
    }

    static float[] normalise(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        norm = Math.sqrt(norm);
        float[] unit = new float[v.length];
        if (norm == 0) {
            return unit;
        }
        for (int i = 0; i < v.length; i++) {
            unit[i] = (float) (v[i] / norm);
        }
        return unit;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }
}
