package dev.aar.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link EmbeddingStore} promises; a backend's test extends this and supplies a
 * fresh, empty store per test.
 */
public abstract class EmbeddingStoreContract {

    /** Returns a new, empty store. */
    protected abstract EmbeddingStore createStore() throws Exception;

    protected static final String MODEL = "test-model";

    protected EmbeddingStore store;

    @BeforeEach
    void openStore() throws Exception {
        store = createStore();
    }

    @Test
    void anUpsertedChunkComesBackWithEveryField() {
        EmbeddedChunk chunk = new EmbeddedChunk("p1", "src/Main.java#0", MODEL, "aa".repeat(32), "src/Main.java",
                1, 40, "class Main {}", new float[] {0.25f, -0.5f, 1f});
        store.upsert(List.of(chunk));

        List<ScoredChunk> hits = store.search("p1", new float[] {0.25f, -0.5f, 1f}, 1);

        assertThat(hits).hasSize(1);
        EmbeddedChunk back = hits.get(0).chunk();
        assertThat(back.projectId()).isEqualTo("p1");
        assertThat(back.chunkId()).isEqualTo("src/Main.java#0");
        assertThat(back.model()).isEqualTo(MODEL);
        assertThat(back.contentHash()).isEqualTo("aa".repeat(32));
        assertThat(back.file()).isEqualTo("src/Main.java");
        assertThat(back.startLine()).isEqualTo(1);
        assertThat(back.endLine()).isEqualTo(40);
        assertThat(back.text()).isEqualTo("class Main {}");
        assertThat(back.vector()).containsExactly(0.25f, -0.5f, 1f);
        assertThat(hits.get(0).score()).isCloseTo(1.0, within(1e-5));
    }

    @Test
    void upsertByKeyReplaces() {
        store.upsert(List.of(chunk("p1", "c1", "h1", "old text", 1, 0)));
        store.upsert(List.of(chunk("p1", "c1", "h2", "new text", 0, 1)));

        assertThat(store.count("p1")).isEqualTo(1);
        List<ScoredChunk> hits = store.search("p1", new float[] {0, 1}, 5);
        assertThat(hits).hasSize(1);
        assertThat(hits.get(0).chunk().text()).isEqualTo("new text");
        assertThat(hits.get(0).score()).isCloseTo(1.0, within(1e-5));
    }

    @Test
    void searchReturnsTheTopKByCosineBestFirst() {
        store.upsert(List.of(
                chunk("p1", "same", "h1", "same direction", 3, 0),
                chunk("p1", "close", "h2", "45 degrees", 1, 1),
                chunk("p1", "orthogonal", "h3", "90 degrees", 0, 2),
                chunk("p1", "opposite", "h4", "180 degrees", -1, 0),
                chunk("p1", "near", "h5", "about 11 degrees", 5, 1)));

        List<ScoredChunk> top3 = store.search("p1", new float[] {1, 0}, 3);

        assertThat(top3).extracting(s -> s.chunk().chunkId()).containsExactly("same", "near", "close");
        assertThat(top3.get(0).score()).isCloseTo(1.0, within(1e-5));
        assertThat(top3.get(1).score()).isCloseTo(5 / Math.sqrt(26), within(1e-5));
        assertThat(top3.get(2).score()).isCloseTo(Math.sqrt(0.5), within(1e-5));

        List<ScoredChunk> all = store.search("p1", new float[] {2, 0}, 10);
        assertThat(all).extracting(s -> s.chunk().chunkId())
                .containsExactly("same", "near", "close", "orthogonal", "opposite");
        assertThat(all.get(3).score()).isCloseTo(0.0, within(1e-5));
        assertThat(all.get(4).score()).isCloseTo(-1.0, within(1e-5));
    }

    @Test
    void searchScalesToManyChunksAndStillFindsTheBest() {
        List<EmbeddedChunk> chunks = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            double angle = Math.PI * i / 1000; // 0 .. 90 degrees
            chunks.add(chunk("p1", "c" + i, "h" + i, "t" + i, (float) Math.cos(angle), (float) Math.sin(angle)));
        }
        store.upsert(chunks);

        List<ScoredChunk> top = store.search("p1", new float[] {1, 0}, 4);

        assertThat(top).extracting(s -> s.chunk().chunkId()).containsExactly("c0", "c1", "c2", "c3");
        assertThat(store.count("p1")).isEqualTo(500);
    }

    @Test
    void projectsAreIsolated() {
        store.upsert(List.of(chunk("p1", "c1", "h1", "one", 1, 0), chunk("p2", "c1", "h1", "two", 1, 0),
                chunk("p2", "c2", "h2", "three", 0, 1)));

        assertThat(store.search("p1", new float[] {1, 0}, 10)).extracting(s -> s.chunk().text()).containsExactly("one");
        assertThat(store.count("p1")).isEqualTo(1);
        assertThat(store.count("p2")).isEqualTo(2);
    }

    @Test
    void anUnknownProjectIsEmpty() {
        assertThat(store.search("nobody", new float[] {1, 0}, 3)).isEmpty();
        assertThat(store.count("nobody")).isZero();
        assertThat(store.deleteProject("nobody")).isZero();
    }

    @Test
    void deleteProjectRemovesOnlyThatProject() {
        store.upsert(List.of(chunk("p1", "c1", "h1", "a", 1, 0), chunk("p1", "c2", "h2", "b", 0, 1),
                chunk("p2", "c1", "h3", "c", 1, 0)));

        assertThat(store.deleteProject("p1")).isEqualTo(2);

        assertThat(store.count("p1")).isZero();
        assertThat(store.search("p1", new float[] {1, 0}, 3)).isEmpty();
        assertThat(store.count("p2")).isEqualTo(1);
        assertThat(store.deleteProject("p1")).isZero();
    }

    @Test
    void findVectorsLooksUpByModelAndHashAcrossProjects() {
        store.upsert(List.of(chunk("p1", "c1", "h1", "a", 1, 0), chunk("p2", "c9", "h2", "b", 0, 1),
                new EmbeddedChunk("p1", "c3", "other-model", "h3", "f", 1, 1, "c", new float[] {1, 1})));

        Map<String, float[]> found = store.findVectors(MODEL, List.of("h1", "h2", "h3", "unknown"));

        assertThat(found).containsOnlyKeys("h1", "h2");
        assertThat(found.get("h1")).containsExactly(1f, 0f);
        assertThat(found.get("h2")).containsExactly(0f, 1f);
        assertThat(store.findVectors("other-model", List.of("h3"))).containsOnlyKeys("h3");
        assertThat(store.findVectors(MODEL, List.of())).isEmpty();
    }

    @Test
    void aStoreHoldingAModelsVectorsSaysItMayHoldThem() {
        store.upsert(List.of(chunk("p1", "c1", "h1", "a", 1, 0)));

        assertThat(store.mayHoldVectors(MODEL)).isTrue();
        // false is only a promise about findVectors; a store may always answer true
        if (!store.mayHoldVectors("other-model")) {
            assertThat(store.findVectors("other-model", List.of("h1"))).isEmpty();
        }
    }

    @Test
    void findVectorsForgetsWhatIsNoLongerStored() {
        store.upsert(List.of(chunk("p1", "c1", "gone-with-project", "a", 1, 0),
                chunk("p1", "c2", "shared", "b", 0, 1), chunk("p2", "c1", "shared", "b", 0, 1),
                chunk("p2", "c2", "replaced", "c", 1, 1)));
        store.upsert(List.of(chunk("p2", "c2", "replacement", "d", 1, 1)));

        store.deleteProject("p1");

        assertThat(store.findVectors(MODEL, List.of("gone-with-project", "shared", "replaced", "replacement")))
                .containsOnlyKeys("shared", "replacement");
    }

    @Test
    void changingAVectorAfterUpsertDoesNotChangeTheStore() {
        float[] vector = {1, 0};
        store.upsert(List.of(new EmbeddedChunk("p1", "c1", MODEL, "h1", "f", 1, 1, "t", vector)));

        vector[0] = 0;
        vector[1] = 1;

        assertThat(store.findVectors(MODEL, List.of("h1")).get("h1")).containsExactly(1f, 0f);
        assertThat(store.search("p1", new float[] {1, 0}, 1).get(0).score()).isCloseTo(1.0, within(1e-5));
    }

    // ---- helpers ----

    protected static EmbeddedChunk chunk(String project, String id, String hash, String text, float x, float y) {
        return new EmbeddedChunk(project, id, MODEL, hash, "src/" + id + ".java", 1, 10, text, new float[] {x, y});
    }
}
