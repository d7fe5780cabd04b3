package dev.aar.core.memory;

import dev.aar.core.embedding.Float32Vectors;
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
    /**
     * model + '\u0000' + contentHash -> (projectId + '\u0000' + chunkId -> vector): which stored chunks
     * carry a hash, so that {@link #findVectors} forgets a hash once no stored chunk has it.
     */
    private final Map<String, Map<String, float[]>> byHash = new ConcurrentHashMap<>();

    @Override
    public synchronized void upsert(List<EmbeddedChunk> chunks) {
        for (EmbeddedChunk c : chunks) {
            // copy: the caller may reuse its arrays, and what we hand out must not alias our state
            EmbeddedChunk copy = copy(c);
            Entry previous = projects.computeIfAbsent(c.projectId(), p -> new ConcurrentHashMap<>())
                    .put(c.chunkId(), new Entry(copy, Float32Vectors.unit(copy.vector())));
            if (previous != null) {
                unindex(previous.chunk);
            }
            byHash.computeIfAbsent(hashKey(copy), h -> new ConcurrentHashMap<>()).put(chunkKey(copy), copy.vector());
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
        float[] q = Float32Vectors.unit(query);
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
        List<ScoredChunk> result = new ArrayList<>(best.size());
        for (ScoredChunk hit : best) {
            result.add(new ScoredChunk(copy(hit.chunk()), hit.score()));
        }
        result.sort(Comparator.comparingDouble(ScoredChunk::score).reversed()
                .thenComparing(s -> s.chunk().chunkId()));
        return result;
    }

    @Override
    public boolean mayHoldVectors(String model) {
        String prefix = model + '\u0000';
        return byHash.keySet().stream().anyMatch(k -> k.startsWith(prefix));
    }

    @Override
    public Map<String, float[]> findVectors(String model, Collection<String> contentHashes) {
        Map<String, float[]> found = new HashMap<>();
        for (String hash : contentHashes) {
            Map<String, float[]> holders = byHash.get(model + '\u0000' + hash);
            if (holders != null) {
                holders.values().stream().findAny().ifPresent(v -> found.put(hash, v.clone()));
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
    public synchronized long deleteProject(String projectId) {
        Map<String, Entry> removed = projects.remove(projectId);
        if (removed == null) {
            return 0;
        }
        removed.values().forEach(e -> unindex(e.chunk));
        return removed.size();
    }

    private void unindex(EmbeddedChunk chunk) {
        byHash.computeIfPresent(hashKey(chunk), (h, holders) -> {
            holders.remove(chunkKey(chunk));
            return holders.isEmpty() ? null : holders;
        });
    }

    private static EmbeddedChunk copy(EmbeddedChunk c) {
        return new EmbeddedChunk(c.projectId(), c.chunkId(), c.model(), c.contentHash(), c.file(),
                c.startLine(), c.endLine(), c.text(), c.vector().clone());
    }

    private static String hashKey(EmbeddedChunk c) {
        return c.model() + '\u0000' + c.contentHash();
    }

    private static String chunkKey(EmbeddedChunk c) {
        return c.projectId() + '\u0000' + c.chunkId();
    }


    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }
}
