package dev.aar.jdbc.internal;

import dev.aar.embedding.EmbeddedChunk;
import dev.aar.embedding.EmbeddingStore;
import dev.aar.embedding.ScoredChunk;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * An {@link EmbeddingStore} in the {@code chunks} table, vectors stored as little-endian float32 bytes.
 *
 * <p>Search is exact: it streams the project's (chunk id, vector) pairs through a cursor, scores each
 * in Java and keeps the best {@code k} in a heap, then loads the text of just those {@code k}. Memory
 * stays O(k); time grows linearly with the project's chunk count, since every vector is read and
 * scored. There is no approximate (ANN) index.
 */
public final class JdbcEmbeddingStore implements EmbeddingStore {

    /** Rows fetched per round trip while streaming vectors. */
    static final int FETCH_SIZE = 1_000;
    /** Hashes per {@code IN (…)} list, well under every driver's parameter limit. */
    static final int IN_LIST_SIZE = 500;

    private record Hit(String chunkId, double score) {
    }

    private final Jdbi jdbi;
    private final Customization customization;

    public JdbcEmbeddingStore(Jdbi jdbi, Customization customization) {
        this.jdbi = jdbi;
        this.customization = customization;
    }

    @Override
    public void upsert(List<EmbeddedChunk> chunks) {
        if (chunks.isEmpty()) {
            return;
        }
        Sql.inTransaction(jdbi, "upsert chunks", h -> {
            PreparedBatch batch = h.prepareBatch("""
                    INSERT INTO chunks (project_id, chunk_id, model, content_hash, file, start_line, end_line, text,
                        dimensions, vector)
                    VALUES (:project, :chunk, :model, :hash, :file, :start, :end, :text, :dims, :vector)
                    ON CONFLICT (project_id, chunk_id) DO UPDATE SET model = excluded.model,
                        content_hash = excluded.content_hash, file = excluded.file, start_line = excluded.start_line,
                        end_line = excluded.end_line, text = excluded.text, dimensions = excluded.dimensions,
                        vector = excluded.vector""");
            for (EmbeddedChunk c : chunks) {
                batch.bind("project", c.projectId()).bind("chunk", c.chunkId()).bind("model", c.model())
                        .bind("hash", c.contentHash()).bind("file", c.file()).bind("start", c.startLine())
                        .bind("end", c.endLine()).bind("text", c.text()).bind("dims", c.vector().length)
                        .bind("vector", Vectors.encode(c.vector())).add();
            }
            batch.execute();
            return null;
        });
    }

    @Override
    public List<ScoredChunk> search(String projectId, float[] query, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, was " + k);
        }
        float[] unit = Vectors.unit(query);
        return Sql.call(jdbi, "search chunks", h -> {
            // PostgreSQL only streams with a cursor when autocommit is off; on SQLite a transaction
            // would take the write lock (immediate mode) for nothing
            boolean transaction = customization.streamsOnlyInTransaction();
            if (transaction) {
                h.begin();
            }
            try {
                return search(h, projectId, unit, query.length, k);
            } finally {
                if (transaction) {
                    h.rollback(); // read only
                }
            }
        });
    }

    private static List<ScoredChunk> search(Handle h, String projectId, float[] unit, int dimensions, int k) {
        PriorityQueue<Hit> best = new PriorityQueue<>(Comparator.comparingDouble(Hit::score));
        h.createQuery("SELECT chunk_id, vector FROM chunks WHERE project_id = :project AND dimensions = :dims")
                .bind("project", projectId).bind("dims", dimensions).setFetchSize(FETCH_SIZE)
                .map((rs, ctx) -> new Hit(rs.getString(1), Vectors.cosine(unit, Vectors.decode(rs.getBytes(2)))))
                .useStream(rows -> rows.forEach(hit -> {
                    if (best.size() < k) {
                        best.add(hit);
                    } else if (hit.score() > best.peek().score()) {
                        best.poll();
                        best.add(hit);
                    }
                }));
        return load(h, projectId, new ArrayList<>(best));
    }

    private static List<ScoredChunk> load(Handle h, String projectId, List<Hit> hits) {
        if (hits.isEmpty()) {
            return List.of();
        }
        Map<String, Double> scores = new HashMap<>();
        hits.forEach(hit -> scores.put(hit.chunkId(), hit.score()));
        List<ScoredChunk> result = new ArrayList<>(h.createQuery(
                "SELECT * FROM chunks WHERE project_id = :project AND chunk_id IN (<ids>)")
                .bind("project", projectId).bindList("ids", new ArrayList<>(scores.keySet()))
                .map((rs, ctx) -> new ScoredChunk(new EmbeddedChunk(rs.getString("project_id"), rs.getString("chunk_id"),
                        rs.getString("model"), rs.getString("content_hash"), rs.getString("file"),
                        rs.getInt("start_line"), rs.getInt("end_line"), rs.getString("text"),
                        Vectors.decode(rs.getBytes("vector"))), scores.get(rs.getString("chunk_id"))))
                .list());
        result.sort(Comparator.comparingDouble(ScoredChunk::score).reversed().thenComparing(s -> s.chunk().chunkId()));
        return result;
    }

    @Override
    public Map<String, float[]> findVectors(String model, Collection<String> contentHashes) {
        List<String> hashes = new ArrayList<>(new LinkedHashSet<>(contentHashes));
        Map<String, float[]> found = new HashMap<>();
        if (hashes.isEmpty()) {
            return found;
        }
        Sql.call(jdbi, "find vectors", h -> {
            for (int from = 0; from < hashes.size(); from += IN_LIST_SIZE) {
                List<String> slice = hashes.subList(from, Math.min(hashes.size(), from + IN_LIST_SIZE));
                h.createQuery("SELECT content_hash, vector FROM chunks WHERE model = :model AND content_hash IN (<hashes>)")
                        .bind("model", model).bindList("hashes", slice)
                        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getBytes(2)))
                        .forEach(e -> found.putIfAbsent(e.getKey(), Vectors.decode(e.getValue())));
            }
            return null;
        });
        return found;
    }

    @Override
    public boolean mayHoldVectors(String model) {
        // one probe of the (model, content_hash) index
        return Sql.call(jdbi, "look for vectors", h -> h.createQuery("SELECT 1 FROM chunks WHERE model = :model LIMIT 1")
                .bind("model", model).mapTo(Integer.class).findOne().isPresent());
    }

    @Override
    public long count(String projectId) {
        return Sql.call(jdbi, "count chunks", h -> h.createQuery("SELECT COUNT(*) FROM chunks WHERE project_id = :project")
                .bind("project", projectId).mapTo(Long.class).one());
    }

    @Override
    public long deleteProject(String projectId) {
        return Sql.call(jdbi, "delete chunks", h -> (long) h.createUpdate("DELETE FROM chunks WHERE project_id = :project")
                .bind("project", projectId).execute());
    }
}
