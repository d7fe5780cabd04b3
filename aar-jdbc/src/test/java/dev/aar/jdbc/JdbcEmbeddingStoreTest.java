package dev.aar.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.embedding.EmbeddedChunk;
import dev.aar.embedding.EmbeddingStore;
import dev.aar.embedding.EmbeddingStoreContract;
import dev.aar.embedding.ScoredChunk;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The embedding-store contract kit on both databases, plus the storage format and batching limits. */
class JdbcEmbeddingStoreTest {

    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class Cases extends EmbeddingStoreContract {
        final KitDatabase db;
        private JdbcBackend backend;

        Cases(KitDatabase db) {
            this.db = db;
        }

        @Override
        protected EmbeddingStore createStore() {
            backend = db.fresh();
            return backend.embeddingStore();
        }

        @AfterAll
        void drop() throws Exception {
            db.close();
        }

        static EmbeddedChunk vectorChunk(String project, String id, String hash, float... vector) {
            return new EmbeddedChunk(project, id, MODEL, hash, "src/" + id + ".java", 1, 20, "text of " + id, vector);
        }

        @Test
        void searchStreamsProjectsLargerThanOneFetch() {
            List<EmbeddedChunk> many = new ArrayList<>();
            for (int i = 0; i < 2_500; i++) {
                double angle = i * 0.001;
                many.add(vectorChunk("big", "c" + i, "h" + i, (float) Math.cos(angle), (float) Math.sin(angle)));
            }
            store.upsert(many);

            List<ScoredChunk> hits = store.search("big", new float[] {1, 0}, 3);

            assertThat(hits).extracting(h -> h.chunk().chunkId()).containsExactly("c0", "c1", "c2");
        }

        @Test
        void searchSkipsVectorsOfOtherDimensions() {
            store.upsert(List.of(vectorChunk("p1", "a", "h1", 1, 0), vectorChunk("p1", "b", "h2", 1, 0, 0)));

            assertThat(store.search("p1", new float[] {1, 0}, 10)).extracting(h -> h.chunk().chunkId())
                    .containsExactly("a");
        }

        @Test
        void vectorsAreStoredAsLittleEndianFloat32() {
            store.upsert(List.of(vectorChunk("p1", "a", "h1", 1.5f, -2.25f)));

            byte[] stored = Jdbi.create(backend.dataSource()).withHandle(h -> h.createQuery(
                    "SELECT vector FROM chunks WHERE chunk_id = 'a'").mapTo(byte[].class).one());

            ByteBuffer expected = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2.25f);
            assertThat(stored).containsExactly(expected.array());
        }

        @Test
        void findVectorsLooksUpMoreHashesThanOneInList() {
            store.upsert(List.of(vectorChunk("p1", "a", "h1", 1, 2), vectorChunk("p2", "b", "h2", 3, 4)));
            List<String> many = new ArrayList<>(List.of("h1", "h2", "h3"));
            for (int i = 0; i < 1200; i++) {
                many.add("absent-" + i);
            }

            Map<String, float[]> found = store.findVectors(MODEL, many);

            assertThat(found).containsOnlyKeys("h1", "h2");
            assertThat(found.get("h2")).containsExactly(3, 4);
        }
    }

    @Nested
    class OnSqlite extends Cases {
        OnSqlite() {
            super(new KitDatabase(TestDatabase::sqlite));
        }
    }

    @Nested
    class OnPostgres extends Cases {
        OnPostgres() {
            super(new KitDatabase(TestDatabase::postgres));
        }
    }
}
