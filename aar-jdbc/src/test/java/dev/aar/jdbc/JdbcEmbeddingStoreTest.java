package dev.aar.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.aar.embedding.EmbeddedChunk;
import dev.aar.embedding.EmbeddingStore;
import dev.aar.embedding.ScoredChunk;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class JdbcEmbeddingStoreTest {

    abstract static class Cases extends DatabaseTest {

        EmbeddingStore store() {
            return backend.embeddingStore();
        }

        static EmbeddedChunk chunk(String project, String id, String hash, float... vector) {
            return new EmbeddedChunk(project, id, "m1", hash, "src/" + id + ".java", 1, 20, "text of " + id, vector);
        }

        @Test
        void searchReturnsTheTopKByCosineBestFirstWithinTheProject() {
            store().upsert(List.of(
                    chunk("p1", "east", "h1", 1, 0, 0),
                    chunk("p1", "north-east", "h2", 1, 1, 0),
                    chunk("p1", "north", "h3", 0, 5, 0),
                    chunk("p1", "west", "h4", -1, 0, 0),
                    chunk("p2", "other-east", "h5", 1, 0, 0)));

            List<ScoredChunk> hits = store().search("p1", new float[] {2, 0, 0}, 2);

            assertThat(hits).extracting(h -> h.chunk().chunkId()).containsExactly("east", "north-east");
            assertThat(hits.get(0).score()).isCloseTo(1.0, within(1e-6));
            assertThat(hits.get(1).score()).isCloseTo(Math.sqrt(0.5), within(1e-6));
            assertThat(hits.get(0).chunk().text()).isEqualTo("text of east");
            assertThat(hits.get(0).chunk().vector()).containsExactly(1, 0, 0);
        }

        @Test
        void searchStreamsProjectsLargerThanOneFetch() {
            List<EmbeddedChunk> many = new ArrayList<>();
            for (int i = 0; i < 2_500; i++) {
                double angle = i * 0.001;
                many.add(chunk("big", "c" + i, "h" + i, (float) Math.cos(angle), (float) Math.sin(angle)));
            }
            store().upsert(many);

            List<ScoredChunk> hits = store().search("big", new float[] {1, 0}, 3);

            assertThat(hits).extracting(h -> h.chunk().chunkId()).containsExactly("c0", "c1", "c2");
        }

        @Test
        void searchSkipsVectorsOfOtherDimensionsAndUnknownProjects() {
            store().upsert(List.of(chunk("p1", "a", "h1", 1, 0), chunk("p1", "b", "h2", 1, 0, 0)));

            assertThat(store().search("p1", new float[] {1, 0}, 10)).extracting(h -> h.chunk().chunkId())
                    .containsExactly("a");
            assertThat(store().search("nope", new float[] {1, 0}, 10)).isEmpty();
        }

        @Test
        void upsertReplacesByProjectAndChunkId() {
            store().upsert(List.of(chunk("p1", "a", "h1", 1, 0)));
            store().upsert(List.of(chunk("p1", "a", "h2", 0, 1)));

            assertThat(store().count("p1")).isEqualTo(1);
            assertThat(store().search("p1", new float[] {0, 1}, 1).get(0).chunk().contentHash()).isEqualTo("h2");
        }

        @Test
        void vectorsAreStoredAsLittleEndianFloat32() {
            store().upsert(List.of(chunk("p1", "a", "h1", 1.5f, -2.25f)));

            byte[] stored = Jdbi.create(db.url()).withHandle(h -> h.createQuery(
                    "SELECT vector FROM chunks WHERE chunk_id = 'a'").mapTo(byte[].class).one());

            ByteBuffer expected = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2.25f);
            assertThat(stored).containsExactly(expected.array());
        }

        @Test
        void findVectorsLooksUpByModelAndHashInAnyProject() {
            store().upsert(List.of(chunk("p1", "a", "h1", 1, 2), chunk("p2", "b", "h2", 3, 4)));
            List<String> many = new ArrayList<>(List.of("h1", "h2", "h3"));
            for (int i = 0; i < 1200; i++) {
                many.add("absent-" + i); // more than one IN list
            }

            Map<String, float[]> found = store().findVectors("m1", many);

            assertThat(found).containsOnlyKeys("h1", "h2");
            assertThat(found.get("h2")).containsExactly(3, 4);
            assertThat(store().findVectors("other-model", List.of("h1"))).isEmpty();
        }

        @Test
        void deleteProjectRemovesOnlyThatProject() {
            store().upsert(List.of(chunk("p1", "a", "h1", 1), chunk("p1", "b", "h2", 1), chunk("p2", "c", "h3", 1)));

            assertThat(store().deleteProject("p1")).isEqualTo(2);
            assertThat(store().count("p1")).isZero();
            assertThat(store().count("p2")).isEqualTo(1);
        }
    }

    @Nested
    class OnSqlite extends Cases {
        @Override
        TestDatabase createDatabase() {
            return TestDatabase.sqlite();
        }
    }

    @Nested
    class OnPostgres extends Cases {
        @Override
        TestDatabase createDatabase() {
            return TestDatabase.postgres();
        }
    }
}
