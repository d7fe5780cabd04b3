package dev.aar.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.config.ScaleLimits;
import dev.aar.core.memory.InMemoryEmbeddingStore;
import dev.aar.embedding.EmbeddedChunk;
import dev.aar.embedding.EmbeddingModel;
import dev.aar.embedding.EmbeddingProvider;
import dev.aar.embedding.EmbeddingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryProjectViewTest {

    @TempDir
    Path dir;

    /** Embeds a text as {count of "db", count of "ui"}: enough to tell two topics apart. */
    private static final class TopicEmbedder implements EmbeddingProvider {
        @Override
        public EmbeddingModel model() {
            return new EmbeddingModel("topics", 2, 100, 10, 1000, 0.0);
        }

        @Override
        public EmbeddingResult embed(List<String> inputs) {
            return new EmbeddingResult(inputs.stream().map(TopicEmbedder::vector).toList(), inputs.size());
        }

        static float[] vector(String text) {
            return new float[] {text.split("db", -1).length - 1, text.split("ui", -1).length - 1};
        }
    }

    @Test
    void listsIndexableFilesOnlySortedWithLanguagesAndLazyText() throws Exception {
        new Fixture(dir).file("src/B.java", "class B {}").file("src/a.py", "print('é')")
                .file("node_modules/x/index.js", "x").file("target/Gen.java", "class Gen {}")
                .file("docs/big.txt", "x".repeat(200));
        Files.write(dir.resolve("src/logo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 1});
        Files.write(dir.resolve("src/latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xE9});

        ProjectView view = DirectoryProjectView.builder("p", dir)
                .limits(ScaleLimits.builder().maxFileSizeBytes(100).build()).build();

        assertThat(view.files()).extracting(SourceFile::path).containsExactly("src/B.java", "src/a.py", "src/latin1.txt");
        assertThat(view.files()).extracting(SourceFile::language).containsExactly(Language.JAVA, Language.PYTHON, Language.TEXT);
        assertThat(view.files().get(1).text()).isEqualTo("print('é')\n");
        assertThat(view.files().get(2).text()).isEqualTo("caf\uFFFD"); // malformed UTF-8 is replaced, not fatal
        assertThat(view.isSearchable()).isFalse();
        assertThat(view.search("anything", 3)).isEmpty();
    }

    @Test
    void searchesTheProjectsEmbeddings() {
        new Fixture(dir).file("Repo.java", "class Repo {}");
        InMemoryEmbeddingStore store = new InMemoryEmbeddingStore();
        store.upsert(List.of(
                new EmbeddedChunk("p", "c1", "topics", "h1", "Repo.java", 1, 10, "db db db", TopicEmbedder.vector("db db db")),
                new EmbeddedChunk("p", "c2", "topics", "h2", "View.java", 1, 5, "ui ui", TopicEmbedder.vector("ui ui")),
                new EmbeddedChunk("other", "c3", "topics", "h3", "X.java", 1, 5, "db", TopicEmbedder.vector("db"))));

        ProjectView view = DirectoryProjectView.builder("p", dir).embeddings(store, new TopicEmbedder()).build();

        assertThat(view.isSearchable()).isTrue();
        assertThat(view.search("where is the db access?", 1)).singleElement()
                .satisfies(hit -> assertThat(hit.chunk().file()).isEqualTo("Repo.java"));
        assertThat(view.search("ui", 5)).extracting(hit -> hit.chunk().chunkId()).containsExactly("c2", "c1");
    }
}
